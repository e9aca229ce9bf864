package dev.parley.transport.autonat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.autonat.pb.AutoNatProtos.Message;
import dev.parley.transport.multiformats.Varint;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * AutoNAT messages on the wire: one varint-length-prefixed protobuf each way per stream.
 * <pre>
 *   +---------------+--------------------------------+
 *   | varint length | Message protobuf               |
 *   | 1-2 bytes     | length bytes, at most 8192     |
 *   +---------------+--------------------------------+
 * </pre>
 */
final class AutoNatCodec {
    /**
     * js-libp2p's limit. The largest honest message is a DIAL listing a node's addresses: at most
     * {@link AutoNatService#MAX_ADDRESSES} of at most a few dozen bytes each, far below it.
     */
    static final int MAX_MESSAGE = 8192;

    private AutoNatCodec() {
    }

    static void write(Message message, OutputStream out) throws IOException {
        byte[] bytes = message.toByteArray();
        if (bytes.length > MAX_MESSAGE) {
            throw new AutoNatProtocolException("AutoNAT message of " + bytes.length + " bytes exceeds the limit of "
                    + MAX_MESSAGE);
        }
        Varint.write(bytes.length, out);
        out.write(bytes);
        out.flush();
    }

    /** Reads one message; one without a type is malformed. */
    static Message read(InputStream in) throws IOException {
        long length = Varint.read(in);
        if (length < 0) {
            throw new EOFException("stream closed before an AutoNAT message");
        }
        if (length > MAX_MESSAGE) {
            throw new AutoNatProtocolException("AutoNAT message of " + length + " bytes exceeds the limit of "
                    + MAX_MESSAGE);
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("AutoNAT message cut off after " + bytes.length + " of " + length + " bytes");
        }
        Message message;
        try {
            message = Message.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AutoNatProtocolException("malformed AutoNAT message of " + bytes.length + " bytes: "
                    + e.getMessage());
        }
        if (!message.hasType()) {
            throw new AutoNatProtocolException("AutoNAT message of " + bytes.length + " bytes without a known type");
        }
        return message;
    }
}
