package dev.parley.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.wire.EnvelopeProtos;
import java.util.function.UnaryOperator;

/** What an attacker on the path can do to an encoded envelope, for the tamper tests. */
final class Forgery {
    private Forgery() {
    }

    /** The envelope with its header edited and its original signature kept. */
    static byte[] editHeader(byte[] encoded, UnaryOperator<EnvelopeProtos.EnvelopeHeader.Builder> edit) {
        return editHeader(encoded, edit, null);
    }

    /** The envelope with its header edited and, if {@code signer} is given, signed anew by it. */
    static byte[] editHeader(byte[] encoded, UnaryOperator<EnvelopeProtos.EnvelopeHeader.Builder> edit,
            Identity signer) {
        EnvelopeProtos.Envelope envelope = parse(encoded);
        EnvelopeProtos.EnvelopeHeader header;
        try {
            header = EnvelopeProtos.EnvelopeHeader.parseFrom(envelope.getHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        byte[] headerBytes = edit.apply(header.toBuilder()).build().toByteArray();
        EnvelopeProtos.Envelope.Builder edited = envelope.toBuilder().setHeader(ByteString.copyFrom(headerBytes));
        if (signer != null) {
            byte[] signed = Envelope.signedBytes(headerBytes, envelope.getCiphertext().toByteArray());
            edited.setSignature(ByteString.copyFrom(signer.sign(signed)));
        }
        return edited.build().toByteArray();
    }

    static byte[] flipCiphertextBit(byte[] encoded, int offset) {
        EnvelopeProtos.Envelope envelope = parse(encoded);
        byte[] ciphertext = envelope.getCiphertext().toByteArray();
        ciphertext[offset] ^= 1;
        return envelope.toBuilder().setCiphertext(ByteString.copyFrom(ciphertext)).build().toByteArray();
    }

    static byte[] flipSignatureBit(byte[] encoded) {
        EnvelopeProtos.Envelope envelope = parse(encoded);
        byte[] signature = envelope.getSignature().toByteArray();
        signature[10] ^= 1;
        return envelope.toBuilder().setSignature(ByteString.copyFrom(signature)).build().toByteArray();
    }

    /** The header of one envelope with the ciphertext of another, signed anew by {@code signer}. */
    static byte[] spliceCiphertext(byte[] headerFrom, byte[] ciphertextFrom, Identity signer) {
        byte[] ciphertext = parse(ciphertextFrom).getCiphertext().toByteArray();
        EnvelopeProtos.Envelope envelope = parse(headerFrom);
        byte[] signed = Envelope.signedBytes(envelope.getHeader().toByteArray(), ciphertext);
        return envelope.toBuilder()
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .setSignature(ByteString.copyFrom(signer.sign(signed)))
                .build()
                .toByteArray();
    }

    private static EnvelopeProtos.Envelope parse(byte[] encoded) {
        try {
            return EnvelopeProtos.Envelope.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
