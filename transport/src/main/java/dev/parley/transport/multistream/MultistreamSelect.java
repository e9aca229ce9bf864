package dev.parley.transport.multistream;

import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * multistream-select 1.0 (github.com/multiformats/multistream-select): agrees on the protocol a connection
 * or stream speaks next. The initiator proposes protocols in order of preference; the responder echoes the
 * first one it supports, or answers {@code na}. Either side reads exactly the negotiation bytes and nothing
 * more, so the chosen protocol's first bytes are left in the stream for its handler.
 */
public final class MultistreamSelect {
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    static final String NOT_AVAILABLE = "na";
    static final String LIST = "ls";
    /** Proposals a responder hears before it gives up on a peer that never names a protocol it has. */
    static final int MAX_PROPOSALS = 64;

    private MultistreamSelect() {
    }

    /**
     * Negotiates as initiator on a raw connection, which has no memory scope yet. The header and the first proposal
     * go out in one write, as the spec recommends, which saves a round trip when the remote supports our first
     * choice.
     *
     * @return the protocol the remote accepted
     * @throws ProtocolNotSupportedException if it accepted none of them
     */
    public static String select(InputStream in, OutputStream out, List<String> protocols) throws IOException {
        return select(in, out, protocols, MemoryScope.uncounted());
    }

    /** Negotiates as initiator on a stream, reading each answer into a buffer reserved from its {@code memory}. */
    public static String select(InputStream in, OutputStream out, List<String> protocols, MemoryScope memory)
            throws IOException {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no protocol to propose");
        }
        out.write(MultistreamMessages.encode(PROTOCOL_ID, protocols.get(0)));
        out.flush();
        expectHeader(in, memory);
        for (int i = 0; i < protocols.size(); i++) {
            if (i > 0) {
                out.write(MultistreamMessages.encode(protocols.get(i)));
                out.flush();
            }
            String answer = MultistreamMessages.read(in, memory);
            if (answer.equals(protocols.get(i))) {
                return answer;
            }
            if (!answer.equals(NOT_AVAILABLE)) {
                throw new MultistreamException("remote answered '" + answer + "' to the proposal '" + protocols.get(i) + "'");
            }
        }
        throw new ProtocolNotSupportedException(protocols);
    }

    /**
     * Negotiates as responder on a raw connection, which has no memory scope yet: answers {@code ls} with
     * {@code listing}, {@code na} to unsupported proposals, and echoes the first supported one.
     *
     * @return the protocol agreed on
     */
    public static String respond(InputStream in, OutputStream out, Predicate<String> supported,
                                 Supplier<List<String>> listing) throws IOException {
        return respond(in, out, supported, listing, MemoryScope.uncounted());
    }

    /** Negotiates as responder on a stream, reading each proposal into a buffer reserved from its {@code memory}. */
    public static String respond(InputStream in, OutputStream out, Predicate<String> supported,
                                 Supplier<List<String>> listing, MemoryScope memory) throws IOException {
        out.write(MultistreamMessages.encode(PROTOCOL_ID));
        out.flush();
        expectHeader(in, memory);
        for (int i = 0; i < MAX_PROPOSALS; i++) {
            String proposal = MultistreamMessages.read(in, memory);
            if (proposal.equals(LIST)) {
                out.write(MultistreamMessages.encodeList(listing.get()));
            } else if (supported.test(proposal)) {
                out.write(MultistreamMessages.encode(proposal));
                out.flush();
                return proposal;
            } else {
                out.write(MultistreamMessages.encode(NOT_AVAILABLE));
            }
            out.flush();
        }
        throw new MultistreamException("remote made " + MAX_PROPOSALS + " proposals without agreeing on a protocol");
    }

    /** Asks the responder for the protocols it supports ({@code ls}). */
    public static List<String> list(InputStream in, OutputStream out) throws IOException {
        out.write(MultistreamMessages.encode(PROTOCOL_ID, LIST));
        out.flush();
        expectHeader(in, MemoryScope.uncounted());
        return MultistreamMessages.readList(in);
    }

    private static void expectHeader(InputStream in, MemoryScope memory) throws IOException {
        String header = MultistreamMessages.read(in, memory);
        if (!header.equals(PROTOCOL_ID)) {
            throw new MultistreamException("expected the header " + PROTOCOL_ID + ", got '" + header + "'");
        }
    }
}
