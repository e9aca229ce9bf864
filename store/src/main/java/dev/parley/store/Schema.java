package dev.parley.store;

import java.util.List;

/** Every schema step, in order; the last one's version is the version this code writes. */
final class Schema {
    static final List<Migration> MIGRATIONS = List.of(
            new V1ContactsAndMessages(), new V2ReceiptsAndSearch(), new V3Rooms(), new V4PeerAddresses(),
            new V5RoomDelivery(), new V6PeerNames(), new V7RoomLogSets(), new V8AddressHints(),
            new V9MessageKeys(), new V10MemberAddresses(), new V11SenderKeyRecipients(),
            new V12RequestDrops(), new V13DropOutboxAttempts(), new V14PrefixSearch(), new V15MessageActions(),
            new V16OwnRoomEdits(), new V17SessionsAndWaitingOutbox(),
            new V18MailboxDelivery(), new V19Attachments());

    static final int CURRENT_VERSION = MIGRATIONS.getLast().version();

    private Schema() {
    }
}
