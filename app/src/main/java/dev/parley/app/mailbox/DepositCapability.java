package dev.parley.app.mailbox;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.mailbox.wire.MailboxProtos.Capability;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What lets one contact deposit into an owner's mailbox: the mailbox (PeerId and addresses), the owner, a random
 * capability id and its tag. The owner mints one per contact with the key K the mailbox gave it at pairing; the
 * mailbox checks the tag with the same K, so it accepts deposits without knowing who the contacts are, and the owner
 * can revoke one contact's capability by its id, or all at once by rekeying.
 *
 * <pre>
 * cap_id = 16 random bytes
 * tag    = HMAC-SHA256(K, "parley-mailbox-deposit-v1" || owner PeerId bytes || cap_id)
 * bytes  = protobuf Capability{version 1, mailbox, addresses, owner, cap_id, tag}
 * </pre>
 */
public record DepositCapability(PeerId mailbox, List<Multiaddr> addresses, PeerId owner, byte[] capId, byte[] tag) {
    public static final int CAP_ID_BYTES = 16;
    public static final int TAG_BYTES = 32;
    /** Owner keys are HMAC-SHA256 keys of the hash's size. */
    public static final int OWNER_KEY_BYTES = 32;
    public static final int MAX_ADDRESSES = 16;
    /** Far beyond 16 addresses of a few dozen bytes and the fixed fields. */
    public static final int MAX_ENCODED_BYTES = 4096;
    private static final int VERSION = 1;
    private static final byte[] DOMAIN = "parley-mailbox-deposit-v1".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    public DepositCapability {
        addresses = List.copyOf(addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES)));
        if (capId.length != CAP_ID_BYTES || tag.length != TAG_BYTES) {
            throw new IllegalArgumentException("a capability has a " + CAP_ID_BYTES + "-byte id and a " + TAG_BYTES
                    + "-byte tag, not " + capId.length + " and " + tag.length);
        }
        capId = capId.clone();
        tag = tag.clone();
    }

    /** A new capability for one contact, under the owner's key {@code ownerKey}. */
    public static DepositCapability mint(byte[] ownerKey, PeerId owner, PeerId mailbox, List<Multiaddr> addresses) {
        byte[] capId = new byte[CAP_ID_BYTES];
        RANDOM.nextBytes(capId);
        return new DepositCapability(mailbox, addresses, owner, capId, tag(ownerKey, owner, capId));
    }

    /** Whether {@code tag} is the tag of {@code capId} for {@code owner} under {@code ownerKey}, in constant time. */
    public static boolean tagMatches(byte[] ownerKey, PeerId owner, byte[] capId, byte[] tag) {
        return capId.length == CAP_ID_BYTES && MessageDigest.isEqual(tag(ownerKey, owner, capId), tag);
    }

    static byte[] tag(byte[] ownerKey, PeerId owner, byte[] capId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ownerKey, "HmacSHA256"));
            mac.update(DOMAIN);
            mac.update(owner.bytes());
            return mac.doFinal(capId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HMAC-SHA256", e);
        }
    }

    @Override
    public byte[] capId() {
        return capId.clone();
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    public byte[] encode() {
        Capability.Builder capability = Capability.newBuilder().setVersion(VERSION)
                .setMailbox(ByteString.copyFrom(mailbox.bytes())).setOwner(ByteString.copyFrom(owner.bytes()))
                .setCapId(ByteString.copyFrom(capId)).setTag(ByteString.copyFrom(tag));
        addresses.forEach(address -> capability.addAddresses(ByteString.copyFrom(address.withoutPeerId().bytes())));
        return capability.build().toByteArray();
    }

    /** @throws InvalidMailboxCodeException saying what is wrong */
    public static DepositCapability decode(byte[] encoded) throws InvalidMailboxCodeException {
        if (encoded.length > MAX_ENCODED_BYTES) {
            throw new InvalidMailboxCodeException("a deposit capability of " + encoded.length
                    + " bytes is larger than any (at most " + MAX_ENCODED_BYTES + ")");
        }
        try {
            Capability capability = Capability.parseFrom(encoded);
            if (capability.getVersion() != VERSION) {
                throw new InvalidMailboxCodeException("a deposit capability of version " + capability.getVersion()
                        + "; this Parley reads version " + VERSION);
            }
            List<Multiaddr> addresses = new ArrayList<>();
            for (ByteString address : capability.getAddressesList()) {
                addresses.add(Multiaddr.fromBytes(address.toByteArray()));
            }
            return new DepositCapability(PeerId.fromBytes(capability.getMailbox().toByteArray()), addresses,
                    PeerId.fromBytes(capability.getOwner().toByteArray()), capability.getCapId().toByteArray(),
                    capability.getTag().toByteArray());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new InvalidMailboxCodeException("the deposit capability does not decode: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepositCapability other && MessageDigest.isEqual(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(capId);
    }

    @Override
    public String toString() {
        return "DepositCapability[mailbox " + mailbox + ", owner " + owner + "]";
    }
}
