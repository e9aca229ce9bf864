package dev.parley.crypto.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.session.SessionException.Reason;
import dev.parley.crypto.wire.SessionProtos;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One side of a session: the state of the Double Ratchet with header encryption (Signal's specification, revision 4,
 * section 4), immutable. {@link Ratchet} computes the next state from it and never changes it, so a caller that stores
 * the next state in the same transaction as the message it sealed or opened can never lose a state or use a message
 * key twice, whatever happens between. Secret material: {@link #encode()} is for the profile's own store, never for an
 * export or a backup; {@link #toString()} names no key.
 *
 * <p>Arrays held here are never written after the state is made; a {@link Draft} replaces them and never fills them,
 * so a state and the drafts made from it may share them.
 */
public final class SessionState {
    static final int VERSION = 1;
    static final int KEY_SIZE = 32;

    /** A kept key of a message that has not arrived. */
    record SkippedKey(byte[] headerKey, long number, byte[] messageKey, long storedAtSeconds) {
        boolean belongsTo(byte[] otherHeaderKey, long otherNumber) {
            return number == otherNumber && MessageDigest.isEqual(headerKey, otherHeaderKey);
        }

        @Override
        public String toString() {
            return "SkippedKey[" + number + "]";
        }
    }

    final byte[] rootKey;
    final RatchetKeyPair sendingRatchet;
    /** Null until the responder opens its first message. */
    final byte[] receivingRatchetPublic;
    /** Null, with the sending header key, until the responder's first ratchet step. */
    final byte[] sendingChainKey;
    final byte[] sendingHeaderKey;
    /** Null, with the receiving header key, until the first message of the peer's first chain arrives. */
    final byte[] receivingChainKey;
    final byte[] receivingHeaderKey;
    final byte[] nextSendingHeaderKey;
    final byte[] nextReceivingHeaderKey;
    final long sentInChain;
    final long receivedInChain;
    final long previousSendingChainLength;
    /** Oldest first. */
    final List<SkippedKey> skipped;

    private SessionState(Draft draft) {
        rootKey = draft.rootKey;
        sendingRatchet = draft.sendingRatchet;
        receivingRatchetPublic = draft.receivingRatchetPublic;
        sendingChainKey = draft.sendingChainKey;
        sendingHeaderKey = draft.sendingHeaderKey;
        receivingChainKey = draft.receivingChainKey;
        receivingHeaderKey = draft.receivingHeaderKey;
        nextSendingHeaderKey = draft.nextSendingHeaderKey;
        nextReceivingHeaderKey = draft.nextReceivingHeaderKey;
        sentInChain = draft.sentInChain;
        receivedInChain = draft.receivedInChain;
        previousSendingChainLength = draft.previousSendingChainLength;
        skipped = List.copyOf(draft.skipped);
    }

    /**
     * The side that started the session (the specification's RatchetInitAliceHE): it can seal at once, under the
     * initiator header key, to the responder's ratchet key.
     *
     * @throws SessionException MALFORMED if {@code responderRatchetPublic} is no usable X25519 public key (wrong
     *     length, or of small order)
     */
    public static SessionState initiator(SessionSecrets secrets, byte[] responderRatchetPublic)
            throws SessionException {
        Draft draft = new Draft();
        draft.sendingRatchet = RatchetKeyPair.generate();
        draft.receivingRatchetPublic = responderRatchetPublic.clone();
        RatchetKdf.RootStep first;
        try {
            first = RatchetKdf.root(secrets.rootKey(), draft.sendingRatchet.agree(draft.receivingRatchetPublic));
        } catch (GeneralSecurityException e) {
            throw new SessionException(Reason.MALFORMED, "the responder's ratchet key is not a usable X25519 key", e);
        }
        draft.rootKey = first.rootKey();
        draft.sendingChainKey = first.chainKey();
        draft.nextSendingHeaderKey = first.nextHeaderKey();
        draft.sendingHeaderKey = secrets.initiatorHeaderKey();
        draft.nextReceivingHeaderKey = secrets.responderNextHeaderKey();
        return draft.freeze();
    }

    /**
     * The side that answered (RatchetInitBobHE): it opens first, and can seal once it has opened a message of the
     * initiator's ({@link #canSeal()}).
     */
    public static SessionState responder(SessionSecrets secrets, RatchetKeyPair responderRatchet) {
        Draft draft = new Draft();
        draft.sendingRatchet = responderRatchet;
        draft.rootKey = secrets.rootKey();
        draft.nextSendingHeaderKey = secrets.responderNextHeaderKey();
        draft.nextReceivingHeaderKey = secrets.initiatorHeaderKey();
        return draft.freeze();
    }

    /** False only for a responder that has not opened a message yet: it has no sending chain. */
    public boolean canSeal() {
        return sendingChainKey != null;
    }

    /**
     * Whether a message of the peer has opened under this state (it has a receiving chain): proof that the peer holds
     * the session, so a genuine message of the peer's is sealed under one of its header keys.
     */
    public boolean hasOpened() {
        return receivingChainKey != null;
    }

    /** How many keys of messages that have not arrived the state keeps. */
    public int skippedKeyCount() {
        return skipped.size();
    }

    /** Protobuf {@code SessionState} (session.proto), version 1. Secret material: for the profile's store only. */
    public byte[] encode() {
        SessionProtos.SessionState.Builder proto = SessionProtos.SessionState.newBuilder()
                .setVersion(VERSION)
                .setRootKey(bytes(rootKey))
                .setSendingRatchetPrivate(ByteString.copyFrom(sendingRatchet.privateKey()))
                .setSendingRatchetPublic(ByteString.copyFrom(sendingRatchet.publicKey()))
                .setReceivingRatchetPublic(bytes(receivingRatchetPublic))
                .setSendingChainKey(bytes(sendingChainKey))
                .setReceivingChainKey(bytes(receivingChainKey))
                .setSendingHeaderKey(bytes(sendingHeaderKey))
                .setReceivingHeaderKey(bytes(receivingHeaderKey))
                .setNextSendingHeaderKey(bytes(nextSendingHeaderKey))
                .setNextReceivingHeaderKey(bytes(nextReceivingHeaderKey))
                .setSentInChain((int) sentInChain)
                .setReceivedInChain((int) receivedInChain)
                .setPreviousSendingChainLength((int) previousSendingChainLength);
        for (SkippedKey key : skipped) {
            proto.addSkipped(SessionProtos.SkippedMessageKey.newBuilder()
                    .setHeaderKey(ByteString.copyFrom(key.headerKey()))
                    .setNumber((int) key.number())
                    .setMessageKey(ByteString.copyFrom(key.messageKey()))
                    .setStoredAtSeconds(key.storedAtSeconds()));
        }
        return proto.build().toByteArray();
    }

    /**
     * A state from {@link #encode()}'s bytes, checked: every key of its size, the keys that come in pairs both there or
     * both absent, the sending ratchet public key its private key's (one X25519 multiplication), at most
     * {@link Ratchet#MAX_SKIPPED_KEPT} skipped keys of at most {@link Ratchet#MAX_CHAINS_WITH_KEPT_KEYS} chains, none
     * of them twice.
     *
     * @throws SessionException MALFORMED for anything else, with what is wrong
     */
    public static SessionState decode(byte[] encoded) throws SessionException {
        SessionProtos.SessionState proto;
        try {
            proto = SessionProtos.SessionState.parseFrom(encoded);
        } catch (InvalidProtocolBufferException e) {
            throw new SessionException(Reason.MALFORMED, "not a session state: " + e.getMessage(), e);
        }
        if (proto.getVersion() != VERSION) {
            throw new SessionException(Reason.MALFORMED,
                    "session state version " + proto.getVersion() + ", this code reads " + VERSION);
        }
        Draft draft = new Draft();
        draft.rootKey = required("root key", proto.getRootKey());
        try {
            draft.sendingRatchet = RatchetKeyPair.restored(
                    required("sending ratchet key", proto.getSendingRatchetPrivate()),
                    required("sending ratchet public key", proto.getSendingRatchetPublic()));
        } catch (InvalidKeyException e) {
            throw new SessionException(Reason.MALFORMED, "session state: " + e.getMessage(), e);
        }
        draft.receivingRatchetPublic = optional("receiving ratchet key", proto.getReceivingRatchetPublic());
        draft.sendingChainKey = optional("sending chain key", proto.getSendingChainKey());
        draft.sendingHeaderKey = optional("sending header key", proto.getSendingHeaderKey());
        draft.receivingChainKey = optional("receiving chain key", proto.getReceivingChainKey());
        draft.receivingHeaderKey = optional("receiving header key", proto.getReceivingHeaderKey());
        draft.nextSendingHeaderKey = required("next sending header key", proto.getNextSendingHeaderKey());
        draft.nextReceivingHeaderKey = required("next receiving header key", proto.getNextReceivingHeaderKey());
        if ((draft.sendingChainKey == null) != (draft.sendingHeaderKey == null)
                || (draft.receivingChainKey == null) != (draft.receivingHeaderKey == null)
                || (draft.receivingChainKey != null && draft.receivingRatchetPublic == null)) {
            throw new SessionException(Reason.MALFORMED, "session state: a chain without its header or ratchet key");
        }
        draft.sentInChain = Integer.toUnsignedLong(proto.getSentInChain());
        draft.receivedInChain = Integer.toUnsignedLong(proto.getReceivedInChain());
        draft.previousSendingChainLength = Integer.toUnsignedLong(proto.getPreviousSendingChainLength());
        if (proto.getSkippedCount() > Ratchet.MAX_SKIPPED_KEPT) {
            throw new SessionException(Reason.MALFORMED, "session state: " + proto.getSkippedCount()
                    + " skipped message keys, at most " + Ratchet.MAX_SKIPPED_KEPT + " are kept");
        }
        for (SessionProtos.SkippedMessageKey key : proto.getSkippedList()) {
            draft.skipped.add(new SkippedKey(required("skipped header key", key.getHeaderKey()),
                    Integer.toUnsignedLong(key.getNumber()), required("skipped message key", key.getMessageKey()),
                    key.getStoredAtSeconds()));
        }
        checkKeptKeysAreDistinctAndOfFewChains(draft.skipped);
        return draft.freeze();
    }

    /**
     * What the ratchet never writes and an open must be able to count on: one kept key per (header key, number), or
     * the message would open once per copy (a replay accepted), and kept keys of at most
     * {@link Ratchet#MAX_CHAINS_WITH_KEPT_KEYS} chains, or every open would try more headers than the bound promises.
     */
    private static void checkKeptKeysAreDistinctAndOfFewChains(List<SkippedKey> skipped) throws SessionException {
        List<byte[]> chains = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (SkippedKey key : skipped) {
            int chain = chainIndex(chains, key.headerKey());
            if (chain < 0) {
                if (chains.size() == Ratchet.MAX_CHAINS_WITH_KEPT_KEYS) {
                    throw new SessionException(Reason.MALFORMED, "session state: kept keys of more than "
                            + Ratchet.MAX_CHAINS_WITH_KEPT_KEYS + " chains");
                }
                chain = chains.size();
                chains.add(key.headerKey());
            }
            if (!seen.add((long) chain << 32 | key.number())) {
                throw new SessionException(Reason.MALFORMED,
                        "session state: the kept key of message " + key.number() + " of a chain is there twice");
            }
        }
    }

    /** The distinct header keys of {@code skipped}, in the order their chains were first kept: oldest first. */
    static List<byte[]> distinctHeaderKeys(List<SkippedKey> skipped) {
        List<byte[]> distinct = new ArrayList<>();
        for (SkippedKey key : skipped) {
            if (chainIndex(distinct, key.headerKey()) < 0) {
                distinct.add(key.headerKey());
            }
        }
        return distinct;
    }

    private static int chainIndex(List<byte[]> headerKeys, byte[] headerKey) {
        for (int i = 0; i < headerKeys.size(); i++) {
            if (MessageDigest.isEqual(headerKeys.get(i), headerKey)) {
                return i;
            }
        }
        return -1;
    }

    /** A working copy for the next state. */
    Draft draft() {
        return new Draft(this);
    }

    /** Names no key. */
    @Override
    public String toString() {
        return "SessionState[sent " + sentInChain + ", received " + receivedInChain + ", skipped " + skipped.size()
                + "]";
    }

    private static ByteString bytes(byte[] keyOrNull) {
        return keyOrNull == null ? ByteString.EMPTY : ByteString.copyFrom(keyOrNull);
    }

    private static byte[] required(String what, ByteString key) throws SessionException {
        if (key.size() != KEY_SIZE) {
            throw new SessionException(Reason.MALFORMED,
                    "session state: the " + what + " is " + key.size() + " bytes, not " + KEY_SIZE);
        }
        return key.toByteArray();
    }

    private static byte[] optional(String what, ByteString key) throws SessionException {
        return key.isEmpty() ? null : required(what, key);
    }

    /**
     * The mutable working copy {@link Ratchet} computes in: the Double Ratchet's pseudocode changes its state in
     * place, and a draft lets it read that way while the state it came from stays as it was.
     */
    static final class Draft {
        byte[] rootKey;
        RatchetKeyPair sendingRatchet;
        byte[] receivingRatchetPublic;
        byte[] sendingChainKey;
        byte[] sendingHeaderKey;
        byte[] receivingChainKey;
        byte[] receivingHeaderKey;
        byte[] nextSendingHeaderKey;
        byte[] nextReceivingHeaderKey;
        long sentInChain;
        long receivedInChain;
        long previousSendingChainLength;
        final List<SkippedKey> skipped;

        private Draft() {
            skipped = new ArrayList<>();
        }

        private Draft(SessionState state) {
            rootKey = state.rootKey;
            sendingRatchet = state.sendingRatchet;
            receivingRatchetPublic = state.receivingRatchetPublic;
            sendingChainKey = state.sendingChainKey;
            sendingHeaderKey = state.sendingHeaderKey;
            receivingChainKey = state.receivingChainKey;
            receivingHeaderKey = state.receivingHeaderKey;
            nextSendingHeaderKey = state.nextSendingHeaderKey;
            nextReceivingHeaderKey = state.nextReceivingHeaderKey;
            sentInChain = state.sentInChain;
            receivedInChain = state.receivedInChain;
            previousSendingChainLength = state.previousSendingChainLength;
            skipped = new ArrayList<>(state.skipped);
        }

        /**
         * Drops the skipped keys that have been kept {@link Ratchet#SKIPPED_KEY_LIFETIME} or longer, and those kept
         * more than {@link Ratchet#CLOCK_STEP_BACK_TOLERATED} after {@code now}: a clock that ran ahead stamped them, and
         * how long they have really been kept cannot be known; kept on, they would outlive their lifetime by as long as
         * the clock was ahead.
         *
         * @return whether any key was dropped
         */
        boolean dropExpired(Instant now) {
            long oldestKept = now.minus(Ratchet.SKIPPED_KEY_LIFETIME).getEpochSecond();
            long latestKept = now.plus(Ratchet.CLOCK_STEP_BACK_TOLERATED).getEpochSecond();
            return skipped.removeIf(key -> key.storedAtSeconds() <= oldestKept || key.storedAtSeconds() > latestKept);
        }

        /**
         * Drops the kept keys of the oldest chains beyond {@link Ratchet#MAX_CHAINS_WITH_KEPT_KEYS}, then the oldest
         * keys beyond {@link Ratchet#MAX_SKIPPED_KEPT}.
         */
        void dropBeyondBound() {
            List<byte[]> chains = distinctHeaderKeys(skipped);
            for (byte[] oldest : chains.subList(0, Math.max(0, chains.size() - Ratchet.MAX_CHAINS_WITH_KEPT_KEYS))) {
                skipped.removeIf(key -> MessageDigest.isEqual(key.headerKey(), oldest));
            }
            int excess = skipped.size() - Ratchet.MAX_SKIPPED_KEPT;
            if (excess > 0) {
                skipped.subList(0, excess).clear();
            }
        }

        SessionState freeze() {
            return new SessionState(this);
        }
    }
}
