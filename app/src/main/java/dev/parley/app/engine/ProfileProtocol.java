package dev.parley.app.engine;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.InvalidCardException;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Who a peer is. {@code /parley/profile/1.0.0}, before it is a contact: the responder writes its signed contact card
 * (crypto's {@code ContactCard.encode()}) after an unsigned-varint length, at most {@link #MAX_BYTES}, and closes;
 * the asker verifies the card and that it is the card of the peer it is connected to.
 *
 * <p>{@code /parley/profile/push/1.0.0}, to contacts already connected when our card changes (a new name): the
 * pusher opens the stream and writes its card in the same frame, the receiver checks it the same way and closes
 * the stream once it has taken it, or resets it. Like
 * libp2p's identify push it is a protocol of its own, so a peer that does not know it refuses it in the
 * negotiation and learns the new card when it next connects, as before.
 */
final class ProfileProtocol {
    static final String PROTOCOL_ID = "/parley/profile/1.0.0";
    static final String PUSH_PROTOCOL_ID = "/parley/profile/push/1.0.0";
    static final int MAX_BYTES = 16 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ProfileProtocol() {
    }

    /** Answers with the card {@code card} gives at the time of asking. */
    static void answer(Stream stream, Supplier<ContactCard> card) throws IOException {
        write(stream, card.get());
    }

    /**
     * Asks the peer at the other end of {@code connection} for its card; a peer that has not answered within
     * {@link #TIMEOUT}, negotiating the protocol included, gets no longer: the read fails (the stream's read deadline)
     * and the stream is closed.
     */
    static ContactCard fetch(Connection connection) throws IOException {
        return fetch(connection, TIMEOUT);
    }

    static ContactCard fetch(Connection connection, Duration timeout) throws IOException {
        // The deadline is set before the negotiation: a peer that never answers it would otherwise hold us for ever.
        try (Stream stream = connection.newStream(timeout, PROTOCOL_ID)) {
            stream.closeWrite();
            return read(stream, PROTOCOL_ID);
        } catch (SocketTimeoutException e) {
            throw new IOException(connection.remotePeer() + " sent no card within " + timeout.toMillis() + " ms", e);
        }
    }

    /**
     * Pushes our card to the peer of {@code connection} and returns once the peer has taken it (closed the stream);
     * fails when the peer does not speak the push protocol, refuses the card (resets the stream) or has not
     * answered within {@link #TIMEOUT}.
     */
    static void push(Connection connection, ContactCard card) throws IOException {
        try (Stream stream = connection.newStream(TIMEOUT, PUSH_PROTOCOL_ID)) {
            write(stream, card);
            if (stream.in().read() != -1) {
                throw new ChatProtocolException(connection.remotePeer() + " answered a pushed card on "
                        + PUSH_PROTOCOL_ID + ", which has no answer");
            }
        }
    }

    /** Reads a pushed card, which must be the pusher's own, within {@link #TIMEOUT}. */
    static ContactCard receivePush(Stream stream) throws IOException {
        stream.setReadDeadline(TIMEOUT);
        try {
            return read(stream, PUSH_PROTOCOL_ID);
        } catch (SocketTimeoutException e) {
            throw new IOException(stream.remotePeer() + " pushed no card within " + TIMEOUT.toMillis() + " ms", e);
        }
    }

    private static void write(Stream stream, ContactCard card) throws IOException {
        byte[] encoded = card.encode();
        Varint.write(encoded.length, stream.out());
        stream.out().write(encoded);
        stream.closeWrite();
    }

    /** Reads one length-prefixed card from {@code stream}: verified, and the card of the peer at the other end. */
    private static ContactCard read(Stream stream, String protocol) throws IOException {
        PeerId peer = stream.remotePeer();
        int length = Varint.readLength(stream.in(), MAX_BYTES);
        if (length < 0) {
            throw new EOFException(peer + " closed " + protocol + " without a card");
        }
        ContactCard card = LengthPrefixed.readBody(stream.in(), length, stream.memory(), protocol + " card",
                ChatProtocolException::new, encoded -> {
                    if (encoded.length < length) {
                        throw new EOFException(peer + " sent " + encoded.length + " of the " + length
                                + " bytes of its card");
                    }
                    try {
                        return ContactCard.decode(encoded);
                    } catch (InvalidCardException e) {
                        throw new ChatProtocolException(peer + " sent " + protocol + " a bad card: "
                                + e.getMessage(), e);
                    }
                });
        if (!card.peerId().equals(peer)) {
            throw new ChatProtocolException(peer + " sent " + protocol + " the card of " + card.peerId());
        }
        return card;
    }
}
