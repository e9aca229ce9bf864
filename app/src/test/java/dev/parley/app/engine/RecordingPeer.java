package dev.parley.app.engine;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.room.SyncFrames;
import dev.parley.app.engine.wire.ChatProtos.ChatFrame;
import dev.parley.app.engine.wire.SyncProtos.Digest;
import dev.parley.app.engine.wire.SyncProtos.Done;
import dev.parley.app.engine.wire.SyncProtos.RoomEvents;
import dev.parley.app.engine.wire.SyncProtos.SyncFrame;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.crypto.Envelope;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.Host;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare node under someone's identity that speaks Parley's protocols only so far as to record every envelope
 * peers send it (1:1 envelopes acknowledged, so that senders hand over all they have; syncs answered with nothing),
 * and that can send whatever
 * frames a test makes: what a member who was removed, or a forger, can do.
 */
final class RecordingPeer implements AutoCloseable {
    private final Node node;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<byte[]> receivedEvents = new CopyOnWriteArrayList<>();
    private final List<byte[]> answeredInSyncs = new CopyOnWriteArrayList<>();
    private final AtomicInteger syncsAnswered = new AtomicInteger();
    private final AtomicInteger pushesToReset = new AtomicInteger();

    RecordingPeer(Identity identity) throws IOException {
        node = new Node(identity.transportKey(), NodeOptions.lanOnly());
        node.host().setHandler(ChatFrames.PROTOCOL_ID, this::recordChat);
        node.host().setHandler(SyncFrames.PROTOCOL_ID, this::recordSync);
        node.listen(List.of(TestEngine.LOOPBACK));
    }

    /** Its host: what its memory budget holds of what peers sent it and it has not read. */
    Host host() {
        return node.host();
    }

    void dial(Multiaddr address) throws IOException {
        node.host().dial(address);
    }

    /** Every envelope received so far, 1:1 and room alike, as it arrived. */
    List<Envelope> received() {
        return received.stream().map(RecordingPeer::decoded).toList();
    }

    static Envelope decoded(byte[] bytes) {
        try {
            return Envelope.decode(bytes);
        } catch (EnvelopeException e) {
            throw new AssertionError("a peer sent an envelope that does not decode", e);
        }
    }

    List<byte[]> receivedBytes() {
        return List.copyOf(received);
    }

    /** The envelopes and sender keys sync answers carried to it (not those that came 1:1), as they arrived. */
    List<Envelope> answeredInSyncs() {
        return answeredInSyncs.stream().map(RecordingPeer::decoded).toList();
    }

    /** Every membership event a sync answer or push carried to it, as it arrived. */
    List<byte[]> receivedEvents() {
        return List.copyOf(receivedEvents);
    }

    /** Opens a sync with {@code peer}, saying where it stands with {@code digest}, and records the answer. */
    void sync(PeerId peer, Digest digest) throws IOException {
        try (Stream stream = node.host().newStream(peer, SyncFrames.PROTOCOL_ID)) {
            SyncFrames.write(SyncFrame.newBuilder().setDigest(digest).build(), stream.out());
            stream.out().flush();
            stream.closeWrite();
            for (SyncFrame frame = SyncFrames.read(stream.in(), peer); frame != null;
                    frame = SyncFrames.read(stream.in(), peer)) {
                record(frame);
            }
        }
    }

    /** Pushes room envelopes to {@code peer}; returns once it has taken them all (it closes the stream then). */
    void push(PeerId peer, List<byte[]> envelopes) throws IOException {
        try (Stream stream = node.host().newStream(peer, SyncFrames.PROTOCOL_ID)) {
            for (byte[] envelope : envelopes) {
                SyncFrames.write(SyncFrame.newBuilder().setEnvelope(ByteString.copyFrom(envelope)).build(), stream.out());
            }
            stream.out().flush();
            stream.closeWrite();
            stream.in().readAllBytes();
        }
    }

    /** Pushes membership events of {@code room} to {@code peer}; returns once it has taken them. */
    void pushEvents(PeerId peer, RoomId room, List<byte[]> events) throws IOException {
        RoomEvents.Builder frame = RoomEvents.newBuilder().setRoomId(ByteString.copyFrom(room.bytes()));
        events.forEach(event -> frame.addEvents(ByteString.copyFrom(event)));
        try (Stream stream = node.host().newStream(peer, SyncFrames.PROTOCOL_ID)) {
            SyncFrames.write(SyncFrame.newBuilder().setEvents(frame).build(), stream.out());
            stream.out().flush();
            stream.closeWrite();
            stream.in().readAllBytes();
        }
    }

    /** A sync stream to {@code peer} to write anything on, e.g. a frame over the limit. */
    Stream openSync(PeerId peer) throws IOException {
        return node.host().newStream(peer, SyncFrames.PROTOCOL_ID);
    }

    /** Sends 1:1 envelopes on a chat stream, as a peer's link does, and waits for their acks. */
    void sendDirect(PeerId peer, List<byte[]> envelopes) throws IOException {
        try (Stream stream = node.host().newStream(peer, ChatFrames.PROTOCOL_ID)) {
            for (byte[] envelope : envelopes) {
                ChatFrames.write(ChatFrames.envelope(envelope), stream.out());
            }
            stream.out().flush();
            int acked = 0;
            while (acked < envelopes.size()) {
                ChatFrame frame = ChatFrames.read(stream.in(), peer);
                if (frame == null) {
                    throw new IOException(peer + " closed the chat stream after " + acked + " acks");
                }
                acked += frame.getAck().getMessageIdsCount();
            }
        }
    }

    private void recordChat(Stream stream) throws IOException {
        OutputStream out = stream.out();
        for (ChatFrame frame = ChatFrames.read(stream.in(), stream.remotePeer()); frame != null;
                frame = ChatFrames.read(stream.in(), stream.remotePeer())) {
            if (frame.getFrameCase() == ChatFrame.FrameCase.ENVELOPE) {
                byte[] envelope = frame.getEnvelope().toByteArray();
                received.add(envelope);
                MessageId id = decoded(envelope).header().messageId();
                ChatFrames.write(ChatFrames.ack(List.of(id)), out);
                out.flush();
            }
        }
    }

    /** How many syncs peers opened with it it has answered. */
    int syncsAnswered() {
        return syncsAnswered.get();
    }

    /** Resets the next {@code count} pushes it is sent after their first frame, as a stream that breaks would. */
    void resetNextPushes(int count) {
        pushesToReset.set(count);
    }

    /**
     * Records what a peer's sync or push carries; a sync (its first frame a digest) it answers at once with nothing
     * but "done", as a member who holds nothing newer would, or a removed one who wants to seem so.
     */
    private void recordSync(Stream stream) throws IOException {
        try (stream) {
            boolean asked = false;
            for (SyncFrame frame = SyncFrames.read(stream.in(), stream.remotePeer()); frame != null;
                    frame = SyncFrames.read(stream.in(), stream.remotePeer())) {
                if (!asked && frame.getFrameCase() == SyncFrame.FrameCase.ENVELOPE
                        && pushesToReset.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    stream.reset();
                    return;
                }
                asked |= frame.getFrameCase() == SyncFrame.FrameCase.DIGEST;
                record(frame);
            }
            if (asked) {
                SyncFrames.write(SyncFrame.newBuilder().setDone(Done.getDefaultInstance()).build(), stream.out());
                stream.out().flush();
                syncsAnswered.incrementAndGet();
            }
        }
    }

    private void record(SyncFrame frame) {
        switch (frame.getFrameCase()) {
            case ENVELOPE, SENDER_KEY -> {
                byte[] sealed = (frame.getFrameCase() == SyncFrame.FrameCase.ENVELOPE ? frame.getEnvelope()
                        : frame.getSenderKey()).toByteArray();
                received.add(sealed);
                answeredInSyncs.add(sealed);
            }
            case EVENTS -> frame.getEvents().getEventsList().forEach(event -> receivedEvents.add(event.toByteArray()));
            default -> {
                // Digests and ends carry nothing sealed.
            }
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
