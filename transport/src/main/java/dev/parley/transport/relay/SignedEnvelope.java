package dev.parley.transport.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.Ed25519PublicKey;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.keys.pb.KeyProtos.PublicKey;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.relay.pb.CircuitProtos.Envelope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A signed envelope (specs RFC/0002-signed-envelopes.md): a payload of a stated type, signed over a domain
 * string so a signature made for one purpose cannot be replayed for another.
 *
 * @param signer      the key that signed
 * @param payloadType the multicodec naming what the payload is
 * @param payload     the signed bytes
 */
record SignedEnvelope(dev.parley.transport.keys.PublicKey signer, byte[] payloadType, byte[] payload) {
    static byte[] seal(Ed25519PrivateKey key, String domain, byte[] payloadType, byte[] payload) {
        return Envelope.newBuilder()
                .setPublicKey(publicKey(key.publicKey()))
                .setPayloadType(ByteString.copyFrom(payloadType))
                .setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(key.sign(signedBytes(domain, payloadType, payload))))
                .build().toByteArray();
    }

    /** Parses an envelope and checks its signature for {@code domain} and its payload type. */
    static SignedEnvelope open(byte[] bytes, String domain, byte[] expectedType) throws RelayProtocolException {
        Envelope envelope;
        dev.parley.transport.keys.PublicKey signer;
        try {
            envelope = Envelope.parseFrom(bytes);
            signer = dev.parley.transport.keys.PublicKey.unmarshal(envelope.getPublicKey().toByteArray());
        } catch (InvalidProtocolBufferException | InvalidKeyException e) {
            throw new RelayProtocolException("signed envelope of " + bytes.length + " bytes: " + e.getMessage());
        }
        byte[] type = envelope.getPayloadType().toByteArray();
        if (!Arrays.equals(type, expectedType)) {
            throw new RelayProtocolException("signed envelope holds payload type " + hex(type) + ", expected "
                    + hex(expectedType));
        }
        byte[] payload = envelope.getPayload().toByteArray();
        if (!signer.verify(signedBytes(domain, type, payload), envelope.getSignature().toByteArray())) {
            throw new RelayProtocolException("signed envelope of " + bytes.length + " bytes: signature does not verify"
                    + " for domain " + domain);
        }
        return new SignedEnvelope(signer, type, payload);
    }

    private static PublicKey publicKey(Ed25519PublicKey key) {
        try {
            return PublicKey.parseFrom(key.marshal());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("our own public key does not parse", e);
        }
    }

    private static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (byte[] field : new byte[][] {domain.getBytes(StandardCharsets.UTF_8), payloadType, payload}) {
            buffer.writeBytes(Varint.encode(field.length));
            buffer.writeBytes(field);
        }
        return buffer.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder("0x");
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
