package dev.parley.crypto;

/**
 * An envelope whose signature {@link TinkEnvelopeSealer#verify} checked against the key its sender's PeerId inlines.
 * Only the sealer makes one, so opening it ({@link TinkEnvelopeSealer#openRoomKeepingKey(VerifiedEnvelope,
 * SenderKeyRing, ReplayGuard)}) need not check the signature again: a room member that checks an envelope before
 * keeping it and then opens it paid for two verifications, the larger part of a catch-up's CPU.
 */
public final class VerifiedEnvelope {
    private final Envelope envelope;

    VerifiedEnvelope(Envelope envelope) {
        this.envelope = envelope;
    }

    public Envelope envelope() {
        return envelope;
    }

    public EnvelopeHeader header() {
        return envelope.header();
    }

    @Override
    public String toString() {
        return envelope.toString();
    }
}
