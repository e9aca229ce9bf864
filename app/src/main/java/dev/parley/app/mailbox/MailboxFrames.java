package dev.parley.app.mailbox;

import dev.parley.app.mailbox.wire.MailboxProtos.MailboxRequest;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxResponse;
import dev.parley.app.mailbox.wire.MailboxProtos.Refused;
import dev.parley.transport.framing.LengthPrefixed;
import dev.parley.transport.memory.MemoryScope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The frames of {@code /parley/mailbox/1.0.0} (mailbox.proto).
 *
 * <pre>
 * frame            uvarint length || MailboxRequest    at most MAX_REQUEST_BYTES (64 KiB envelope + 1 KiB)
 *                  uvarint length || MailboxResponse   at most MAX_RESPONSE_BYTES (1 MiB: a fetched batch)
 * </pre>
 *
 * A frame over its limit, one that does not parse, or one with nothing set is a {@link MailboxProtocolException}
 * naming the peer and the number: the reader resets that stream only.
 */
public final class MailboxFrames {
    public static final String PROTOCOL_ID = "/parley/mailbox/1.0.0";
    /** The largest envelope a mailbox keeps: a sealed 1:1 message with room for its headers. */
    public static final int MAX_ENVELOPE_BYTES = 64 * 1024;
    /** An envelope and a deposit's other fields (owner, capability id, tag: under 100 bytes) with room to spare. */
    static final int MAX_REQUEST_BYTES = MAX_ENVELOPE_BYTES + 1024;
    /** A fetched batch: {@link #MAX_BATCH_BYTES} of envelopes, each with a dozen bytes of framing. */
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;
    /** Envelope bytes per batch past its first envelope: a batch always fits a response frame. */
    static final int MAX_BATCH_BYTES = 512 * 1024;
    /** Envelopes per batch. */
    static final int MAX_BATCH_ENVELOPES = 256;
    /** Capability ids per Revoke frame and seqs per Delete frame. */
    static final int MAX_IDS_PER_FRAME = 1_024;

    private MailboxFrames() {
    }

    static void write(MailboxRequest request, OutputStream out) throws IOException {
        LengthPrefixed.write(request, MAX_REQUEST_BYTES, out, "mailbox request", MailboxProtocolException::new);
    }

    static void write(MailboxResponse response, OutputStream out) throws IOException {
        LengthPrefixed.write(response, MAX_RESPONSE_BYTES, out, "mailbox response", MailboxProtocolException::new);
    }

    /** The next request, or empty at a clean end of the stream. */
    static Optional<MailboxRequest> readRequest(InputStream in, MemoryScope memory, Object peer) throws IOException {
        Optional<MailboxRequest> request = LengthPrefixed.readOrEnd(in, memory, MailboxRequest.parser(),
                MAX_REQUEST_BYTES, "mailbox request", problem -> new MailboxProtocolException(problem + " (from " + peer + ")"));
        if (request.isPresent() && request.get().getRequestCase() == MailboxRequest.RequestCase.REQUEST_NOT_SET) {
            throw new MailboxProtocolException("mailbox request of " + request.get().getSerializedSize()
                    + " bytes from " + peer + " asks nothing this mailbox knows");
        }
        return request;
    }

    static MailboxResponse readResponse(InputStream in, MemoryScope memory, Object peer) throws IOException {
        MailboxResponse response = LengthPrefixed.read(in, memory, MailboxResponse.parser(), MAX_RESPONSE_BYTES,
                "mailbox response", problem -> new MailboxProtocolException(problem + " (from " + peer + ")"));
        if (response.getResponseCase() == MailboxResponse.ResponseCase.RESPONSE_NOT_SET) {
            throw new MailboxProtocolException("mailbox response of " + response.getSerializedSize() + " bytes from "
                    + peer + " answers nothing this Parley knows");
        }
        return response;
    }

    static MailboxResponse refused(Refused.Reason reason, String text) {
        return MailboxResponse.newBuilder().setRefused(Refused.newBuilder().setReason(reason).setText(text)).build();
    }
}
