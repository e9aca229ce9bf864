package dev.parley.crypto;

import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * An envelope wrapped for a mailbox to hold (crypto/README.md, "Mailbox letters"): HPKE-sealed to the HPKE key on
 * the mailbox owner's card, with a domain and the owner's PeerId as context. An envelope's header names its sender,
 * its recipient and its message id in the clear, which a mailbox must not learn; the letter shows it nothing but
 * its size. The envelope inside keeps its own protection (its session or signature), which the owner checks as it
 * would a direct one: whoever can deposit cannot make a letter pass for another sender's envelope.
 */
public final class MailboxLetter {
    private static final byte[] DOMAIN = "parley/mailbox-letter/1\0".getBytes(StandardCharsets.UTF_8);
    /**
     * A small file's piece, which is no envelope: under a domain of its own, so that a letter opens as one or the
     * other, never as both, and no piece is ever read as an envelope.
     */
    private static final byte[] FILE_PART_DOMAIN = "parley/mailbox-file-part/1\0".getBytes(StandardCharsets.UTF_8);

    private MailboxLetter() {
    }

    /** Wraps {@code envelope} for the owner of {@code owner}'s card. */
    public static byte[] seal(ContactCard owner, byte[] envelope) throws EnvelopeException {
        return seal(owner, envelope, DOMAIN);
    }

    /**
     * Wraps a piece of a file's sealed chunk ({@code part}, the app's {@code MailboxFilePart}) for the owner of
     * {@code owner}'s card. The piece brings its own checks (the offer's hash tree), so it needs no envelope.
     */
    public static byte[] sealFilePart(ContactCard owner, byte[] part) throws EnvelopeException {
        return seal(owner, part, FILE_PART_DOMAIN);
    }

    private static byte[] seal(ContactCard owner, byte[] contents, byte[] domain) throws EnvelopeException {
        try {
            return owner.hpkeEncrypt().encrypt(contents, context(domain, owner.peerId()));
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(Reason.MALFORMED, "a letter to " + owner.peerId() + " could not be sealed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The envelope in a letter to {@code me}; fails with DECRYPTION_FAILED for a letter sealed to someone else, or
     * altered, or not a letter at all.
     */
    public static byte[] open(Identity me, byte[] letter) throws EnvelopeException {
        return open(me, letter, DOMAIN);
    }

    /** The file piece in a letter to {@code me} made by {@link #sealFilePart}; fails as {@link #open} does. */
    public static byte[] openFilePart(Identity me, byte[] letter) throws EnvelopeException {
        return open(me, letter, FILE_PART_DOMAIN);
    }

    private static byte[] open(Identity me, byte[] letter, byte[] domain) throws EnvelopeException {
        if (letter.length > Envelope.MAX_SIZE + 1024) {
            throw new EnvelopeException(Reason.OVERSIZED, "a letter of " + letter.length + " bytes is larger than"
                    + " any envelope");
        }
        try {
            return me.hpkeDecrypt().decrypt(letter, context(domain, me.peerId()));
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(Reason.DECRYPTION_FAILED, "a letter of " + letter.length + " bytes does not"
                    + " open with the HPKE key of " + me.peerId() + ": sealed to another key, altered, or no letter",
                    e);
        }
    }

    private static byte[] context(byte[] domain, PeerId owner) {
        byte[] peer = owner.bytes();
        byte[] context = new byte[domain.length + peer.length];
        System.arraycopy(domain, 0, context, 0, domain.length);
        System.arraycopy(peer, 0, context, domain.length, peer.length);
        return context;
    }
}
