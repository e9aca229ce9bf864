package dev.parley.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.InvalidInviteException.Reason;
import dev.parley.crypto.wire.CardProtos;
import dev.parley.transport.multiformats.Base32;
import dev.parley.transport.multiformats.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one person gives another to connect: a signed {@link ContactCard} and the addresses the inviter
 * listens on, as text that fits a QR code.
 *
 * <pre>
 * text:   "parley:" base32( payload || checksum )       RFC 4648 alphabet, no padding; any case
 * payload: protobuf Invite{card = SignedCard bytes, addresses = binary multiaddrs}
 * checksum: first 4 bytes of SHA-256("parley/invite/1" 0x00 || payload)
 * </pre>
 *
 * The card is signed by its owner; the checksum protects the rest of the code against typing and
 * copying mistakes, so a mistyped or truncated code is an error, never a wrong contact. (An address changed on
 * purpose only misdirects a dial: the Noise handshake proves the peer's key.) The QR form is all uppercase,
 * because QR alphanumeric mode has no lowercase; both forms parse.
 */
public final class InviteCode {
    public static final String PREFIX = "parley:";
    public static final int MAX_ADDRESSES = 16;
    /** Largest binary code (payload and checksum) accepted. */
    public static final int MAX_BYTES = 2048;
    /** Longest text accepted, not counting white space, which parsing ignores. */
    public static final int MAX_TEXT = PREFIX.length() + (MAX_BYTES * 8 + 4) / 5;

    private static final int CHECKSUM_SIZE = 4;
    private static final byte[] CHECKSUM_DOMAIN = "parley/invite/1\0".getBytes(StandardCharsets.UTF_8);

    private final ContactCard card;
    private final List<Multiaddr> addresses;
    private final String text;

    private InviteCode(ContactCard card, List<Multiaddr> addresses, String text) {
        this.card = card;
        this.addresses = List.copyOf(addresses);
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException for more than {@value #MAX_ADDRESSES} addresses or a code over
     *     {@link #MAX_TEXT} characters
     */
    public static InviteCode create(ContactCard card, List<Multiaddr> addresses) {
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("an invite carries at most " + MAX_ADDRESSES + " addresses, got "
                    + addresses.size());
        }
        CardProtos.Invite.Builder invite = CardProtos.Invite.newBuilder().setCard(ByteString.copyFrom(card.encode()));
        addresses.forEach(address -> invite.addAddresses(ByteString.copyFrom(address.bytes())));
        String text = text(invite.build().toByteArray());
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("invite code of " + text.length() + " characters exceeds " + MAX_TEXT
                    + "; give fewer or shorter addresses");
        }
        return new InviteCode(card, addresses, text);
    }

    /** The text form of a payload: prefix, then base32 of the payload and its checksum. */
    static String text(byte[] payload) {
        byte[] code = Arrays.copyOf(payload, payload.length + CHECKSUM_SIZE);
        System.arraycopy(checksum(payload), 0, code, payload.length, CHECKSUM_SIZE);
        return PREFIX + Base32.encode(code);
    }

    /**
     * Parses either case of the text form; white space anywhere (line breaks from mail or chat) is ignored.
     *
     * @throws InvalidInviteException saying what is wrong
     */
    public static InviteCode parse(String text) throws InvalidInviteException {
        String compact = text.replaceAll("\\s+", "");
        if (compact.length() > MAX_TEXT) {
            throw new InvalidInviteException(Reason.TOO_LONG, "invite code of " + compact.length() + " characters exceeds " + MAX_TEXT);
        }
        String lower = compact.toLowerCase(Locale.ROOT);
        if (!lower.startsWith(PREFIX)) {
            throw new InvalidInviteException(Reason.NOT_AN_INVITE, "an invite code starts with '" + PREFIX + "'");
        }
        byte[] code;
        try {
            code = Base32.decode(lower.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInviteException(Reason.INCOMPLETE, "invite code is mistyped or incomplete: " + e.getMessage(), e);
        }
        if (code.length <= CHECKSUM_SIZE) {
            throw new InvalidInviteException(Reason.INCOMPLETE, "invite code of " + code.length + " bytes is too short to be one");
        }
        byte[] payload = Arrays.copyOf(code, code.length - CHECKSUM_SIZE);
        if (!MessageDigest.isEqual(checksum(payload), Arrays.copyOfRange(code, payload.length, code.length))) {
            throw new InvalidInviteException(Reason.MISTYPED,
                    "invite code is mistyped or incomplete (its checksum does not match); copy it again");
        }
        CardProtos.Invite invite;
        try {
            invite = CardProtos.Invite.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInviteException(Reason.DAMAGED, "invite code does not parse: " + e.getMessage(), e);
        }
        ContactCard card;
        try {
            card = ContactCard.decode(invite.getCard().toByteArray());
        } catch (InvalidCardException e) {
            throw new InvalidInviteException(Reason.DAMAGED, "invite code carries an invalid card: " + e.getMessage(), e);
        }
        if (invite.getAddressesCount() > MAX_ADDRESSES) {
            throw new InvalidInviteException(Reason.DAMAGED, "invite code carries " + invite.getAddressesCount()
                    + " addresses; at most " + MAX_ADDRESSES + " are accepted");
        }
        List<Multiaddr> addresses = new ArrayList<>();
        for (int i = 0; i < invite.getAddressesCount(); i++) {
            try {
                addresses.add(Multiaddr.fromBytes(invite.getAddresses(i).toByteArray()));
            } catch (IllegalArgumentException e) {
                throw new InvalidInviteException(Reason.DAMAGED, "invite code's address " + (i + 1) + " is invalid: " + e.getMessage(), e);
            }
        }
        return new InviteCode(card, addresses, lower);
    }

    private static byte[] checksum(byte[] payload) {
        return Arrays.copyOf(Digests.sha256(CHECKSUM_DOMAIN, payload), CHECKSUM_SIZE);
    }

    public ContactCard card() {
        return card;
    }

    public List<Multiaddr> addresses() {
        return addresses;
    }

    /** {@code parley:…}, lowercase. */
    public String toText() {
        return text;
    }

    /** {@code PARLEY:…}, all uppercase, for a QR code's alphanumeric mode. */
    public String toQrText() {
        return text.toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InviteCode other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
