package dev.parley.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.Hkdf;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.EnvelopeException.Reason;
import dev.parley.crypto.wire.EnvelopeProtos;
import dev.parley.crypto.wire.EnvelopeProtos.SkippedSenderChainKey;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One member's key for one room and epoch (app/README.md, "Rooms"). Its owner seals room envelopes with it and sends
 * it 1:1 to every other member in a {@link EnvelopeKind#SENDER_KEY} envelope; a removal starts a new epoch and a new
 * key, so a removed member cannot read what follows.
 *
 * <p>Two kinds (crypto/README.md, "Sender keys"). A <em>static</em> key is one AES-256-GCM key for every message of
 * the epoch, as every key was before chains. A <em>chained</em> key is a chain key {@code CK_n} at iteration {@code n},
 * the number of the next message it derives: message {@code n} (the envelope's {@code sequence}) is sealed under
 * {@code HKDF-SHA256(HMAC-SHA256(CK_n, 0x01), info "parley/sender-chain/message/1")}, and {@code CK_n+1 =
 * HMAC-SHA256(CK_n, 0x02)}. The owner keeps only its chain key; a member keeps the chain key at the next number it
 * expects and the message keys of numbers below it it has not seen yet (at most {@link #MAX_SKIPPED_KEYS}, none
 * older than {@link #SKIPPED_KEY_LIFETIME}), and deletes a message key once it has opened its message. Neither can
 * go back: a stolen chained key opens no message numbered below its chain key other than those skipped and unseen.
 *
 * <p>Mutable and thread-safe: sealing and opening move a chained key on. {@link #encode()} is the stored form, secret
 * skipped keys included; {@link #encodeForMembers()} is what its owner hands out.
 */
public final class SenderKey {
    public static final int KEY_SIZE = Keysets.AES_256_KEY_SIZE;
    /**
     * Most numbers a member derives past at once to open one message. A sync hands a sender's envelopes over in
     * order, so a catch-up steps one at a time; a gap this wide is a message pushed far ahead of what the member
     * holds, which waits until the member has caught up to within this distance.
     */
    public static final int MAX_SKIP = 2_000;
    /** Most skipped message keys a member keeps per key; beyond it the lowest-numbered are dropped. */
    public static final int MAX_SKIPPED_KEYS = 2_000;
    /**
     * How long a skipped message key is kept: a message that has not come by then (anti-entropy runs every 30 s with
     * every member connected) is lost to this member. Its envelope, if it comes later, is refused cleanly.
     */
    public static final Duration SKIPPED_KEY_LIFETIME = Duration.ofDays(7);

    private static final byte[] MESSAGE_KEY_SEED = {0x01};
    private static final byte[] CHAIN_KEY_SEED = {0x02};
    private static final byte[] MESSAGE_KEY_INFO = "parley/sender-chain/message/1".getBytes(StandardCharsets.UTF_8);

    private record Skipped(byte[] key, long derivedAtMillis) {
    }

    private final RoomId room;
    private final PeerId owner;
    private final long epoch;
    /** A static key's one AEAD; null for a chained key. */
    private final Aead staticAead;
    /** A static key's bytes, for its encoded forms; null for a chained key. */
    private final byte[] staticKey;
    private final ReentrantLock lock = new ReentrantLock();
    /** Locking: lock. A chained key's CK at {@link #next}. */
    private byte[] chainKey;
    /** Locking: lock. The number of the next message the chain key derives. */
    private long next;
    /** Locking: lock. The lowest number this holder was handed a chain key for: nothing below it was ever here. */
    private long firstIteration;
    /** Locking: lock. Message keys of numbers below {@link #next} not seen yet, by number. */
    private final NavigableMap<Long, Skipped> skipped = new TreeMap<>();

    private SenderKey(RoomId room, PeerId owner, long epoch, byte[] staticKey, byte[] chainKey, long next,
                      long firstIteration) {
        if (epoch < 0) {
            throw new IllegalArgumentException("sender key epoch " + epoch + " is negative");
        }
        this.room = Objects.requireNonNull(room);
        this.owner = Objects.requireNonNull(owner);
        this.epoch = epoch;
        this.staticKey = staticKey;
        this.staticAead = staticKey == null ? null : Keysets.aes256Gcm(staticKey);
        this.chainKey = chainKey;
        this.next = next;
        this.firstIteration = firstIteration;
    }

    /** A fresh random static key. */
    public static SenderKey generate(RoomId room, PeerId owner, long epoch) {
        return new SenderKey(room, owner, epoch, randomKey(), null, 0, 0);
    }

    /** A fresh random chain key whose first message is numbered {@code firstIteration}. */
    public static SenderKey generateChained(RoomId room, PeerId owner, long epoch, long firstIteration) {
        if (firstIteration < 1) {
            throw new IllegalArgumentException("room envelopes are numbered from 1, not " + firstIteration);
        }
        return new SenderKey(room, owner, epoch, null, randomKey(), firstIteration, firstIteration);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[KEY_SIZE];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** The stored form: the key as it stands, with the skipped message keys a member holds. Secret. */
    public byte[] encode() {
        lock.lock();
        try {
            EnvelopeProtos.SenderKey.Builder wire = handedOut();
            if (isChained()) {
                wire.setFirstIteration(firstIteration);
                skipped.forEach((iteration, key) -> wire.addSkipped(SkippedSenderChainKey.newBuilder()
                        .setIteration(iteration).setKey(ByteString.copyFrom(key.key()))
                        .setDerivedAtMillis(key.derivedAtMillis())));
            }
            return wire.build().toByteArray();
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the owner hands a member: a static key, or the chain key as it stands now, so that the member reads from
     * the owner's next message on and nothing before. Secret.
     */
    public byte[] encodeForMembers() {
        lock.lock();
        try {
            return handedOut().build().toByteArray();
        } finally {
            lock.unlock();
        }
    }

    private EnvelopeProtos.SenderKey.Builder handedOut() {
        assert lock.isHeldByCurrentThread();
        return EnvelopeProtos.SenderKey.newBuilder()
                .setRoomId(ByteString.copyFrom(room.bytes()))
                .setOwner(ByteString.copyFrom(owner.bytes()))
                .setEpoch(epoch)
                .setKey(ByteString.copyFrom(isChained() ? chainKey : staticKey))
                .setIteration(next);
    }

    /** A key in its stored form ({@link #encode()}). */
    public static SenderKey decode(byte[] encoded) throws InvalidSenderKeyException {
        return fromProto(parse(encoded), true);
    }

    /** A key as its owner hands it out ({@link #encodeForMembers()}): no skipped keys. */
    static SenderKey decodeHandedOut(byte[] encoded) throws InvalidSenderKeyException {
        return fromProto(parse(encoded), false);
    }

    private static EnvelopeProtos.SenderKey parse(byte[] encoded) throws InvalidSenderKeyException {
        try {
            return EnvelopeProtos.SenderKey.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidSenderKeyException("sender key does not parse: " + e.getMessage(), e);
        }
    }

    private static SenderKey fromProto(EnvelopeProtos.SenderKey wire, boolean stored)
            throws InvalidSenderKeyException {
        if (wire.getKey().size() != KEY_SIZE) {
            throw new InvalidSenderKeyException("sender key of " + wire.getKey().size() + " bytes; expected " + KEY_SIZE);
        }
        long iteration = wire.getIteration();
        boolean chained = iteration > 0;
        long first = wire.getFirstIteration();
        if (!stored && (wire.getSkippedCount() > 0 || first != 0)) {
            throw new InvalidSenderKeyException("a sender key handed out carries a holder's skipped keys");
        }
        if (!chained && (wire.getSkippedCount() > 0 || first != 0)) {
            throw new InvalidSenderKeyException("a static sender key carries chain state");
        }
        if (chained && wire.getSkippedCount() > MAX_SKIPPED_KEYS) {
            throw new InvalidSenderKeyException("sender key holds " + wire.getSkippedCount()
                    + " skipped message keys; at most " + MAX_SKIPPED_KEYS + " are kept");
        }
        if (chained && first == 0) {
            first = iteration;
        }
        if (chained && first > iteration) {
            throw new InvalidSenderKeyException("sender key chain at " + iteration + " claims to start at " + first);
        }
        SenderKey key;
        try {
            byte[] bytes = wire.getKey().toByteArray();
            key = new SenderKey(RoomId.fromBytes(wire.getRoomId().toByteArray()),
                    PeerId.fromBytes(wire.getOwner().toByteArray()), wire.getEpoch(), chained ? null : bytes,
                    chained ? bytes : null, iteration, first);
        } catch (IllegalArgumentException e) {
            throw new InvalidSenderKeyException("sender key is invalid: " + e.getMessage(), e);
        }
        for (SkippedSenderChainKey skipped : wire.getSkippedList()) {
            if (skipped.getKey().size() != KEY_SIZE || skipped.getIteration() < first
                    || skipped.getIteration() >= iteration) {
                throw new InvalidSenderKeyException("sender key holds a skipped message key for number "
                        + skipped.getIteration() + " outside its chain's " + first + " to " + (iteration - 1));
            }
            key.skipped.put(skipped.getIteration(),
                    new Skipped(skipped.getKey().toByteArray(), skipped.getDerivedAtMillis()));
        }
        return key;
    }

    public RoomId room() {
        return room;
    }

    public PeerId owner() {
        return owner;
    }

    public long epoch() {
        return epoch;
    }

    /** Whether this key advances a hash chain per message; if not, it is static. */
    public boolean isChained() {
        return staticKey == null;
    }

    /** A chained key's next number (the first message its chain key still derives); 0 for a static key. */
    public long iteration() {
        lock.lock();
        try {
            return next;
        } finally {
            lock.unlock();
        }
    }

    /** How many message keys of numbers not seen yet this holder keeps. */
    public int skippedKeys() {
        lock.lock();
        try {
            return skipped.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The owner seals message {@code sequence} under this key: a chained key moves on past it first, so that no second
     * message is ever sealed under the same message key.
     */
    byte[] seal(long sequence, byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        if (!isChained()) {
            return staticAead.encrypt(plaintext, associatedData);
        }
        byte[] messageKey;
        lock.lock();
        try {
            if (sequence < next) {
                throw new IllegalStateException(this + " is at number " + next + ": message " + sequence
                        + " was sealed already, or skipped, and its key is gone");
            }
            byte[] key = chainKey;
            for (long n = next; n < sequence; n++) {
                key = step(key, CHAIN_KEY_SEED);
            }
            messageKey = messageKey(key);
            chainKey = step(key, CHAIN_KEY_SEED);
            next = sequence + 1;
        } finally {
            lock.unlock();
        }
        return Keysets.aes256Gcm(messageKey).encrypt(plaintext, associatedData);
    }

    /**
     * Opens message {@code sequence}. A chained key takes the message key from those it kept or derives forward to
     * it, and changes only once the message decrypted: its key is then deleted, and the keys of the numbers passed
     * are kept. A forgery or a wrong number leaves the key as it was.
     *
     * @throws EnvelopeException DECRYPTION_FAILED; MESSAGE_KEY_GONE for a number below the chain whose key is not
     *                           kept (opened already, expired or dropped, or from before this member was handed the
     *                           key); TOO_FAR_AHEAD for a number more than {@link #MAX_SKIP} past the chain
     */
    byte[] open(long sequence, byte[] ciphertext, byte[] associatedData, Instant now) throws EnvelopeException {
        return openKeeping(sequence, ciphertext, associatedData, now).plaintext();
    }

    /** A message opened, and for a chained key its stored form as opening it left it, taken at once. */
    record Opening(byte[] plaintext, byte[] keyState) {
    }

    /** As {@link #open}, with the stored form of a chained key taken under the same lock (none for a static key). */
    Opening openKeeping(long sequence, byte[] ciphertext, byte[] associatedData, Instant now)
            throws EnvelopeException {
        if (!isChained()) {
            return new Opening(decrypt(staticAead, ciphertext, associatedData), null);
        }
        lock.lock();
        try {
            byte[] plaintext = advanceOpening(sequence, ciphertext, associatedData, now);
            return new Opening(plaintext, encode());
        } finally {
            lock.unlock();
        }
    }

    private byte[] advanceOpening(long sequence, byte[] ciphertext, byte[] associatedData, Instant now)
            throws EnvelopeException {
        assert lock.isHeldByCurrentThread();
        dropExpired(now);
        if (sequence < next) {
            Skipped kept = skipped.get(sequence);
            if (kept == null) {
                throw new EnvelopeException(Reason.MESSAGE_KEY_GONE, "number " + sequence + " is below " + this
                        + ", whose key for it is gone: opened already, expired, or from before it was handed");
            }
            byte[] plaintext = decrypt(Keysets.aes256Gcm(kept.key()), ciphertext, associatedData);
            skipped.remove(sequence);
            return plaintext;
        }
        if (sequence - next > MAX_SKIP) {
            throw new EnvelopeException(Reason.TOO_FAR_AHEAD, "number " + sequence + " is more than " + MAX_SKIP
                    + " past " + this + "; it waits until the messages before it are here");
        }
        TreeMap<Long, Skipped> passed = new TreeMap<>();
        byte[] key = chainKey;
        for (long n = next; n < sequence; n++) {
            passed.put(n, new Skipped(messageKey(key), now.toEpochMilli()));
            key = step(key, CHAIN_KEY_SEED);
        }
        byte[] plaintext = decrypt(Keysets.aes256Gcm(messageKey(key)), ciphertext, associatedData);
        chainKey = step(key, CHAIN_KEY_SEED);
        next = sequence + 1;
        skipped.putAll(passed);
        while (skipped.size() > MAX_SKIPPED_KEYS) {
            skipped.pollFirstEntry();
        }
        return plaintext;
    }

    /**
     * Takes what an earlier hand-out of the same chain adds: when {@code handed} starts below every number this holder
     * could derive (a sync handed it the chain as it stood later, and the first hand-out came after), the message keys
     * from there up to that number are kept as skipped. Nothing this holder derived before comes back, so it never goes
     * back over a message it opened. Returns whether it took anything.
     */
    boolean takeEarlier(SenderKey handed, Instant now) {
        if (!isChained() || !handed.isChained() || !handed.room.equals(room) || !handed.owner.equals(owner)
                || handed.epoch != epoch) {
            return false;
        }
        byte[] key;
        long from;
        handed.lock.lock();
        try {
            key = handed.chainKey;
            from = handed.next;
        } finally {
            handed.lock.unlock();
        }
        lock.lock();
        try {
            if (from >= firstIteration || firstIteration - from > MAX_SKIP) {
                return false;
            }
            for (long n = from; n < firstIteration; n++) {
                skipped.put(n, new Skipped(messageKey(key), now.toEpochMilli()));
                key = step(key, CHAIN_KEY_SEED);
            }
            firstIteration = from;
            while (skipped.size() > MAX_SKIPPED_KEYS) {
                skipped.pollFirstEntry();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void dropExpired(Instant now) {
        assert lock.isHeldByCurrentThread();
        long oldest = now.minus(SKIPPED_KEY_LIFETIME).toEpochMilli();
        for (Iterator<Map.Entry<Long, Skipped>> it = skipped.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().derivedAtMillis() < oldest) {
                it.remove();
            }
        }
    }

    private static byte[] decrypt(Aead aead, byte[] ciphertext, byte[] associatedData) throws EnvelopeException {
        try {
            return aead.decrypt(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException(Reason.DECRYPTION_FAILED, "does not decrypt: sealed under another key, or"
                    + " altered and re-signed", e);
        }
    }

    /** {@code MK_n}: HMAC-SHA256(CK_n, 0x01), expanded with HKDF-SHA256 to the AES-256-GCM key. */
    private static byte[] messageKey(byte[] chainKey) {
        try {
            return Hkdf.computeHkdf("HMACSHA256", step(chainKey, MESSAGE_KEY_SEED), new byte[0], MESSAGE_KEY_INFO,
                    KEY_SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 is not available", e);
        }
    }

    /** HMAC-SHA256 of the one-byte {@code seed} under {@code chainKey}. */
    private static byte[] step(byte[] chainKey, byte[] seed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(chainKey, "HmacSHA256"));
            return mac.doFinal(seed);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Same room, owner, epoch and state (compared in constant time). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SenderKey other && room.equals(other.room) && owner.equals(other.owner)
                && epoch == other.epoch && MessageDigest.isEqual(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Objects.hash(room, owner, epoch);
    }

    /** Room, owner, epoch and where a chain stands; never a key. */
    @Override
    public String toString() {
        String kind = isChained() ? "chained at " + iteration() : "static";
        return "SenderKey[room " + room + ", owner " + owner + ", epoch " + epoch + ", " + kind + "]";
    }
}
