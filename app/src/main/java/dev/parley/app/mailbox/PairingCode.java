package dev.parley.app.mailbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.mailbox.wire.MailboxProtos.PairingCodePayload;
import dev.parley.transport.multiformats.Base32;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What {@code parley mailbox} prints for its owners-to-be: where it is and the secret that pairs, as text to paste.
 *
 * <pre>
 * text:     "parley-mailbox:" base32( payload || checksum )     RFC 4648 alphabet, no padding; any case
 * payload:  protobuf PairingCodePayload{version 1, mailbox PeerId, addresses (binary multiaddrs), secret (32 bytes)}
 * checksum: first 4 bytes of SHA-256("parley/mailbox-pairing/1" 0x00 || payload)
 * </pre>
 *
 * Like a contact's invite code: the checksum makes a mistyped or cut code an error, never a wrong mailbox; white space
 * is ignored. Whoever holds the code can pair, so it is shown to the mailbox's operator only.
 */
public record PairingCode(PeerId mailbox, List<Multiaddr> addresses, byte[] secret) {
    public static final String PREFIX = "parley-mailbox:";
    public static final int SECRET_BYTES = 32;
    public static final int MAX_ADDRESSES = 16;
    private static final int VERSION = 1;
    private static final int MAX_TEXT = 4096;
    private static final int CHECKSUM_SIZE = 4;
    private static final byte[] CHECKSUM_DOMAIN = "parley/mailbox-pairing/1\0".getBytes(StandardCharsets.UTF_8);

    public PairingCode {
        addresses = List.copyOf(addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES)));
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a pairing secret has " + SECRET_BYTES + " bytes, not " + secret.length);
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** {@code parley-mailbox:…}, lowercase. */
    public String toText() {
        PairingCodePayload.Builder payload = PairingCodePayload.newBuilder().setVersion(VERSION)
                .setMailbox(ByteString.copyFrom(mailbox.bytes())).setSecret(ByteString.copyFrom(secret));
        addresses.forEach(address -> payload.addAddresses(ByteString.copyFrom(address.withoutPeerId().bytes())));
        byte[] body = payload.build().toByteArray();
        byte[] code = Arrays.copyOf(body, body.length + CHECKSUM_SIZE);
        System.arraycopy(checksum(body), 0, code, body.length, CHECKSUM_SIZE);
        return PREFIX + Base32.encode(code);
    }

    /**
     * Parses either case of the text form, white space anywhere ignored.
     *
     * @throws InvalidMailboxCodeException saying what is wrong
     */
    public static PairingCode parse(String text) throws InvalidMailboxCodeException {
        String compact = text.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        if (compact.length() > MAX_TEXT) {
            throw new InvalidMailboxCodeException("a mailbox pairing code of " + compact.length()
                    + " characters is longer than any (at most " + MAX_TEXT + ")");
        }
        if (!compact.startsWith(PREFIX)) {
            throw new InvalidMailboxCodeException("a mailbox pairing code starts with '" + PREFIX + "'");
        }
        byte[] code;
        try {
            code = Base32.decode(compact.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidMailboxCodeException("the pairing code is mistyped or incomplete: " + e.getMessage(), e);
        }
        if (code.length <= CHECKSUM_SIZE) {
            throw new InvalidMailboxCodeException("a pairing code of " + code.length + " bytes is too short to be one");
        }
        byte[] body = Arrays.copyOf(code, code.length - CHECKSUM_SIZE);
        if (!MessageDigest.isEqual(checksum(body), Arrays.copyOfRange(code, body.length, code.length))) {
            throw new InvalidMailboxCodeException("the pairing code is mistyped or incomplete (its checksum does not"
                    + " match); copy it again from the mailbox's output");
        }
        try {
            PairingCodePayload payload = PairingCodePayload.parseFrom(body);
            if (payload.getVersion() != VERSION) {
                throw new InvalidMailboxCodeException("the pairing code is of version " + payload.getVersion()
                        + "; this Parley reads version " + VERSION + " (update Parley)");
            }
            if (payload.getAddressesCount() > MAX_ADDRESSES) {
                throw new InvalidMailboxCodeException("the pairing code carries " + payload.getAddressesCount()
                        + " addresses; at most " + MAX_ADDRESSES + " are accepted");
            }
            List<Multiaddr> addresses = new ArrayList<>();
            for (ByteString address : payload.getAddressesList()) {
                addresses.add(Multiaddr.fromBytes(address.toByteArray()));
            }
            return new PairingCode(PeerId.fromBytes(payload.getMailbox().toByteArray()), addresses,
                    payload.getSecret().toByteArray());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new InvalidMailboxCodeException("the pairing code does not decode: " + e.getMessage(), e);
        }
    }

    private static byte[] checksum(byte[] payload) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(CHECKSUM_DOMAIN);
            return Arrays.copyOf(sha256.digest(payload), CHECKSUM_SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairingCode other && toText().equals(other.toText());
    }

    @Override
    public int hashCode() {
        return toText().hashCode();
    }

    @Override
    public String toString() {
        return "PairingCode[" + mailbox + ", " + addresses.size() + " addresses]";
    }
}
