package dev.parley.transport.multiformats;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One protocol of a {@link Multiaddr} with its value in binary form: {@code /tcp/4001} is TCP with the bytes
 * {@code 0f a1}. The value is empty for protocols that take none, and is checked on construction, so every
 * component can be written as text.
 *
 * <pre>
 * binary:  &lt;varint code&gt; [&lt;varint value length&gt;] &lt;value&gt;    (the length only if length-prefixed)
 * text:    /&lt;protocol name&gt;[/&lt;value text&gt;]
 * </pre>
 */
public record Component(Protocol protocol, byte[] value) {

    public Component {
        if (protocol.isLengthPrefixed() ? value.length == 0 : value.length != protocol.fixedBytes()) {
            throw new IllegalArgumentException("/" + protocol.protocolName() + " value of " + value.length + " bytes");
        }
        value = value.clone();
        protocol.codec().toText(value);
    }

    /** A component of a protocol that takes no value, e.g. {@code /p2p-circuit}. */
    public static Component of(Protocol protocol) {
        return new Component(protocol, new byte[0]);
    }

    /** A component from the text form of its value, e.g. {@code (TCP, "4001")}. */
    public static Component parse(Protocol protocol, String valueText) {
        return new Component(protocol, protocol.codec().toBytes(valueText));
    }

    /**
     * Reads one component of the binary form, advancing the buffer.
     *
     * @throws IllegalArgumentException for an unknown protocol code, a malformed varint or a truncated value
     */
    static Component read(ByteBuffer in) {
        long code = Varint.read(in);
        Protocol protocol = Protocol.forCode(code)
                .orElseThrow(() -> new IllegalArgumentException("unknown multiaddr protocol code " + code));
        long length = protocol.isLengthPrefixed() ? Varint.read(in) : protocol.fixedBytes();
        if (length > in.remaining()) {
            throw new IllegalArgumentException("/" + protocol.protocolName() + " value of " + length
                    + " bytes is truncated to " + in.remaining());
        }
        byte[] value = new byte[(int) length];
        in.get(value);
        return new Component(protocol, value);
    }

    void writeTo(ByteArrayOutputStream out) {
        out.writeBytes(Varint.encode(protocol.code()));
        if (protocol.isLengthPrefixed()) {
            out.writeBytes(Varint.encode(value.length));
        }
        out.writeBytes(value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value as text, e.g. {@code 4001} or a base58 peer id; empty for protocols without a value. */
    public String valueText() {
        return protocol.codec().toText(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Component other && protocol == other.protocol && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * protocol.code() + Arrays.hashCode(value);
    }

    /** The text form, e.g. {@code /tcp/4001} or {@code /p2p-circuit}. */
    @Override
    public String toString() {
        return protocol.hasValue() ? "/" + protocol.protocolName() + "/" + valueText() : "/" + protocol.protocolName();
    }
}
