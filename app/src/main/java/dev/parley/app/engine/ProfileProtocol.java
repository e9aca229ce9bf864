package dev.parley.app.engine;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.InvalidCardException;
import dev.parley.transport.Connection;
import dev.parley.transport.Stream;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * {@code /parley/profile/1.0.0}: who a peer is, before it is a contact. The responder writes its signed contact
 * card (crypto's {@code ContactCard.encode()}) after an unsigned-varint length, at most {@link #MAX_BYTES}, and
 * closes; the asker verifies the card and that it is the card of the peer it is connected to.
 */
final class ProfileProtocol {
    static final String PROTOCOL_ID = "/parley/profile/1.0.0";
    static final int MAX_BYTES = 16 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ProfileProtocol() {
    }

    /** Answers with the card {@code card} gives at the time of asking. */
    static void answer(Stream stream, Supplier<ContactCard> card) throws IOException {
        byte[] encoded = card.get().encode();
        Varint.write(encoded.length, stream.out());
        stream.out().write(encoded);
        stream.closeWrite();
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
        ContactCard card;
        // The deadline is set before the negotiation: a peer that never answers it would otherwise hold us for ever.
        try (Stream stream = connection.newStream(timeout, PROTOCOL_ID)) {
            stream.closeWrite();
            int length = Varint.readLength(stream.in(), MAX_BYTES);
            if (length < 0) {
                throw new EOFException(connection.remotePeer() + " closed " + PROTOCOL_ID + " without a card");
            }
            card = LengthPrefixed.readBody(stream.in(), length, stream.memory(), PROTOCOL_ID + " card",
                    ChatProtocolException::new, encoded -> {
                        if (encoded.length < length) {
                            throw new EOFException(connection.remotePeer() + " sent " + encoded.length + " of the "
                                    + length + " bytes of its card");
                        }
                        try {
                            return ContactCard.decode(encoded);
                        } catch (InvalidCardException e) {
                            throw new ChatProtocolException(connection.remotePeer() + " answered " + PROTOCOL_ID
                                    + " with a bad card: " + e.getMessage(), e);
                        }
                    });
        } catch (SocketTimeoutException e) {
            throw new IOException(connection.remotePeer() + " sent no card within " + timeout.toMillis() + " ms", e);
        }
        if (!card.peerId().equals(connection.remotePeer())) {
            throw new ChatProtocolException(connection.remotePeer() + " answered " + PROTOCOL_ID
                    + " with the card of " + card.peerId());
        }
        return card;
    }
}
