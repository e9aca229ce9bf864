package dev.parley.store.export;

import dev.parley.store.Contact;
import dev.parley.store.ContactState;
import dev.parley.store.Conversation;
import dev.parley.store.Direction;
import dev.parley.store.MembershipEvent;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.MessageState;
import dev.parley.store.Receipt;
import dev.parley.store.ReceiptKind;
import dev.parley.store.RoomMember;
import dev.parley.store.RoomRole;
import dev.parley.store.RoomStatus;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A small profile with what exports must carry through: a direct conversation with texts that are hard to keep
 * (scripts, markup, emoji, right-to-left, several lines, 60,000 characters), receipts, and a room with its log, roles,
 * a system line and a former member known only by the caller's names.
 */
final class SampleHistory {
    static final Person ME = new Person("12D3KooWMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMe", "Mia");
    static final String ALICE = "12D3KooWAliceAliceAliceAliceAliceAliceAliceAlice";
    static final String BOB = "12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBo";
    static final String DAVE = "12D3KooWDaveDaveDaveDaveDaveDaveDaveDaveDaveDave";
    static final String DIRECT = "direct-alice";
    static final String ROOM_CONVERSATION = "room-climbing";
    static final String ROOM = "climbing";
    static final Instant T0 = Instant.parse("2026-11-21T13:03:00.250Z");

    static final String SCRIPT = "<script>document.title = 'pwned'</script>";
    static final String IMAGE = "<img src=x onerror=\"document.title='pwned'\">";
    static final String MARKUP = "**not bold** _nor this_ # nor a heading & [no link](http://example.invalid) `x`";
    static final String EMOJI = "Climbing tomorrow? 🧗‍♀️👍🏽 ✨ café, naïve, 日本語";
    static final String RIGHT_TO_LEFT = "שלום! מה שלומך? مرحبا بالعالم";
    static final String LINES = "first line\nsecond line\n\n  indented fourth line\n1. not a list";
    static final String LONG = "long ".repeat(12_000).strip();
    /** Every text above, in the order they are sent. */
    static final List<String> HARD_TEXTS = List.of(SCRIPT, IMAGE, MARKUP, EMOJI, RIGHT_TO_LEFT, LINES, LONG);
    static final Map<String, String> CALLERS_NAMES = Map.of(DAVE, "Dave");

    private SampleHistory() {
    }

    static Function<String, Optional<String>> callersNames() {
        return peer -> Optional.ofNullable(CALLERS_NAMES.get(peer));
    }

    /** Fills {@code store}; returns how many messages it holds. */
    static int fill(SqliteStore store) {
        store.contacts().put(new Contact(ALICE, "Alice", new byte[] {1, 2, 3}, new byte[] {4, 5, 6},
                ContactState.ACCEPTED, T0.minusSeconds(86_400), T0));
        store.conversations().create(Conversation.direct(DIRECT, ALICE, "Alice", T0.minusSeconds(86_400)));
        int count = 0;
        for (String text : HARD_TEXTS) {
            boolean ours = count % 2 == 0;
            long hlc = (T0.toEpochMilli() + count * 60_000L) << 16;
            Instant sent = T0.plusSeconds(count * 60L);
            store.messages().insert(new StoredMessage("d" + count, DIRECT, ours ? ME.peerId() : ALICE, hlc, sent,
                    sent.plusMillis(40), ours ? Direction.OUTGOING : Direction.INCOMING, MessageKind.TEXT, text,
                    ours ? MessageState.SENT : MessageState.READ));
            if (ours) {
                store.receipts().record(new MessageKey(DIRECT, ME.peerId(), "d" + count),
                        new Receipt(ALICE, ReceiptKind.DELIVERED, sent.plusSeconds(1)));
            }
            count++;
        }
        // A day later, so the day separators show.
        Instant nextDay = T0.plusSeconds(86_400);
        store.messages().insert(new StoredMessage("d-late", DIRECT, ALICE, (nextDay.toEpochMilli()) << 16, nextDay,
                nextDay.plusMillis(5), Direction.INCOMING, MessageKind.TEXT, "See you at the wall!",
                MessageState.RECEIVED));
        count++;

        List<MembershipEvent> log = List.of(
                new MembershipEvent(ROOM, 0, new byte[] {10, 11}, ME.peerId(), new byte[] {1, 0, 1}),
                new MembershipEvent(ROOM, 1, new byte[] {12, 13}, ME.peerId(),
                        new byte[] {1, 1, 1}),
                new MembershipEvent(ROOM, 2, new byte[] {14, 15}, BOB, new byte[] {1, 2, 1}));
        store.rooms().create(Conversation.room(ROOM_CONVERSATION, ROOM, "Climbing club", T0), RoomStatus.JOINED,
                null, log, List.of(new RoomMember(ROOM, ME.peerId(), RoomRole.ADMIN, 0),
                        new RoomMember(ROOM, BOB, RoomRole.MEMBER, 1)));
        Instant roomTime = T0.plusSeconds(3_600);
        store.messages().insert(new StoredMessage("r-notice", ROOM_CONVERSATION, ME.peerId(),
                roomTime.toEpochMilli() << 16, roomTime, roomTime, Direction.OUTGOING, MessageKind.NOTICE,
                "Mia added Bob", MessageState.READ));
        store.messages().insert(new StoredMessage("r-dave", ROOM_CONVERSATION, DAVE,
                (roomTime.toEpochMilli() + 1_000) << 16, roomTime.plusSeconds(1), roomTime.plusSeconds(2),
                Direction.INCOMING, MessageKind.TEXT, "Dave was here before he left", MessageState.READ));
        store.messages().insert(new StoredMessage("r-bob", ROOM_CONVERSATION, BOB,
                (roomTime.toEpochMilli() + 2_000) << 16, roomTime.plusSeconds(2), roomTime.plusSeconds(3),
                Direction.INCOMING, MessageKind.TEXT, EMOJI, MessageState.RECEIVED));
        return count + 3;
    }
}
