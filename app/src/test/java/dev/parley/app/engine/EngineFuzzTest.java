package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.app.engine.room.InvalidRoomEventException;
import dev.parley.app.engine.room.RoomChange;
import dev.parley.app.engine.room.RoomEvent;
import dev.parley.app.engine.room.SyncFrames;
import dev.parley.app.engine.wire.ChatProtos.Ack;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.RoomDigest;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Fuzz targets for what a peer sends the engine: /parley/chat frames (and the message ids of an ack), room sync
 * frames, and room membership events. A frame reads or is an {@link IOException} (its protocol's exception when
 * malformed); an event decodes or is an {@link InvalidRoomEventException}, and one that decodes encodes to the same
 * bytes. Envelopes inside the frames are crypto's (CryptoFuzzTest). Corpus in
 * {@code EngineFuzzTestInputs/<method>/}; app/README.md, Fuzzing.
 */
class EngineFuzzTest {
    private static final String PEER = "fuzzer";

    @FuzzTest
    void chatFrame(byte[] data) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            ChatFrame frame;
            while ((frame = ChatFrames.read(in, PEER)) != null) {
                if (frame.hasAck()) {
                    ChatFrames.ackedIds(frame, PEER);
                }
            }
        } catch (IOException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void syncFrame(byte[] data) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            while (SyncFrames.read(in, PEER) != null) {
                // every frame of the stream
            }
        } catch (IOException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void roomEvent(byte[] data) throws InvalidRoomEventException {
        RoomEvent event;
        try {
            event = RoomEvent.decode(data);
        } catch (InvalidRoomEventException refused) {
            return;
        }
        assertThat(event.encode()).isEqualTo(data);
        assertThat(RoomEvent.decode(event.encode()).hash()).isEqualTo(event.hash());
    }

    /** Writes the seeds from the production encoders; run from app/ (README, Fuzzing). */
    public static void main(String[] args) throws IOException {
        Identity creator = Identity.generate();
        Identity member = Identity.generate();
        byte[] salt = new byte[RoomChange.Create.SALT_BYTES];
        RoomChange.Create creation = new RoomChange.Create("Climbing", ContactCard.create(creator, "Ada"), salt);
        RoomId room = creation.roomId();
        RoomEvent created = RoomEvent.sign(creator, room, 0, List.of(), 1L << 16, creation);
        RoomEvent added = RoomEvent.sign(creator, room, 1, List.of(created.hash()), 2L << 16,
                new RoomChange.Add(ContactCard.create(member, "Bo")));
        RoomEvent promoted = RoomEvent.sign(creator, room, 2, List.of(added.hash()), 3L << 16,
                new RoomChange.Promote(member.peerId()));
        RoomEvent renamed = RoomEvent.sign(member, room, 3, List.of(promoted.hash()), 4L << 16,
                new RoomChange.Rename("Bouldering"));
        RoomEvent left = RoomEvent.sign(member, room, 4, List.of(renamed.hash()), 5L << 16, new RoomChange.Leave());
        FuzzSeeds events = FuzzSeeds.of(EngineFuzzTest.class, "roomEvent");
        for (RoomEvent event : List.of(created, added, promoted, renamed, left)) {
            events.add(event.encode());
        }

        ByteString id = ByteString.copyFrom(MessageId.random().bytes());
        FuzzSeeds.of(EngineFuzzTest.class, "chatFrame")
                .add(frames(ChatFrame.newBuilder().setEnvelope(ByteString.copyFrom(new byte[64])).build(),
                        ChatFrame.newBuilder().setAck(Ack.newBuilder().addMessageIds(id).addMessageIds(id)).build()));

        RoomDigest digest = RoomDigest.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()))
                .addHeads(ByteString.copyFrom(left.hash())).build();
        FuzzSeeds.of(EngineFuzzTest.class, "syncFrame")
                .add(frames(SyncFrame.newBuilder().setDigest(Digest.newBuilder().addRooms(digest)).build()))
                .add(frames(SyncFrame.newBuilder().setEvents(RoomEvents.newBuilder()
                        .addEvents(ByteString.copyFrom(created.encode()))
                        .addEvents(ByteString.copyFrom(added.encode()))).build(),
                        SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(new byte[64])).build()));
    }

    private static byte[] frames(com.google.protobuf.MessageLite... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (com.google.protobuf.MessageLite frame : frames) {
            frame.writeDelimitedTo(out);
        }
        return out.toByteArray();
    }
}
