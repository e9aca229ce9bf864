package dev.parley.crypto.session;

import dev.parley.crypto.session.SessionException.Reason;
import dev.parley.crypto.session.SessionState.Draft;
import dev.parley.crypto.session.SessionState.SkippedKey;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The Double Ratchet with header encryption (Signal's specification, revision 4, section 4) as pure functions from a
 * {@link SessionState} to the next one. Neither function changes the state it is given: a failed {@link #open} leaves
 * the caller with the state it had, and the caller stores {@code next} in the same transaction as the message.
 *
 * <p>A ratchet message (crypto/README.md, "Sessions: the Double Ratchet"):
 *
 * <pre>
 * +-----------+------------------------------+------------------------------------------+
 * | version 1 | encrypted header, 68 bytes   | payload: AES-256-GCM ciphertext || tag 16 |
 * +-----------+------------------------------+------------------------------------------+
 * </pre>
 *
 * Only the version byte is in the clear: nothing tells which session or which position a stored message belongs to.
 * The payload's key and nonce come from the message key (HKDF-SHA256, salt the header's nonce, info
 * "parley/ratchet/message/1"); its associated data is the caller's {@code associatedData} followed by the encrypted
 * header. The header's own associated data is
 * the version byte.
 *
 * <p>Time is a parameter, always the local clock and never a time a message carries: kept keys of skipped messages
 * expire {@link #SKIPPED_KEY_LIFETIME} after they were kept, and every seal and open drops those that have, as
 * {@link #dropExpired} does for a session that falls silent.
 */
public final class Ratchet {
    public static final byte VERSION = 1;
    /**
     * The most message keys one open may skip in a chain. A peer (or whoever replays its messages) could otherwise make
     * the receiver derive and keep keys without end. Parley's transport is a reliable stream with acks and resends: a
     * gap is a message sealed and never delivered, and five hundred of them in a row is beyond any real loss.
     */
    public static final int MAX_SKIP = 500;
    /**
     * The most skipped keys a state keeps; beyond it the oldest are dropped, and their messages cannot be opened. The
     * state is stored with every message it seals or opens, 78 bytes per kept key: a full state is about 79 KB.
     */
    public static final int MAX_SKIPPED_KEPT = 2 * MAX_SKIP;
    /**
     * The most receiving chains whose skipped keys are kept; beyond it the oldest chain's are dropped first. Every open,
     * of any bytes from anyone, tries one header per such chain, so this bounds what garbage costs. The Signal
     * implementation keeps five as well.
     */
    public static final int MAX_CHAINS_WITH_KEPT_KEYS = 5;
    /**
     * How long a skipped key is kept for a message that may still arrive. Every kept key is a key that would open a
     * recorded message: it has to go some time, and a message that has not arrived in a month is lost.
     */
    public static final Duration SKIPPED_KEY_LIFETIME = Duration.ofDays(30);
    /**
     * How far a key's kept time may lie after {@code now} and the key still be kept: a clock stepped back a little
     * (a time sync) must not drop keys kept a moment ago. A key kept later than that was kept by a clock running ahead;
     * it is dropped, as its real age cannot be known.
     */
    public static final Duration CLOCK_STEP_BACK_TOLERATED = Duration.ofHours(1);

    static final int OVERHEAD = 1 + RatchetHeader.ENCRYPTED_SIZE + AesGcm.TAG_SIZE;
    private static final byte[] HEADER_ASSOCIATED_DATA = {VERSION};

    private Ratchet() {
    }

    /** The next state and the message to send. */
    public record Sealed(SessionState next, byte[] message) {
        @Override
        public String toString() {
            return "Sealed[" + message.length + " bytes]";
        }
    }

    /** The next state and what the message said. */
    public record Opened(SessionState next, byte[] plaintext) {
        @Override
        public String toString() {
            return "Opened[" + plaintext.length + " bytes]";
        }
    }

    /**
     * Seals {@code plaintext} as the next message of the sending chain.
     *
     * @throws IllegalStateException if the state cannot seal yet ({@link SessionState#canSeal()}), or its chain has
     *     reached 2^32 - 1 messages
     */
    public static Sealed seal(SessionState state, byte[] plaintext, byte[] associatedData, Instant now) {
        if (!state.canSeal()) {
            throw new IllegalStateException("a responder seals only after it has opened a message of the initiator");
        }
        if (state.sentInChain >= RatchetHeader.MAX_NUMBER) {
            throw new IllegalStateException("the sending chain is at its last message number");
        }
        Draft draft = state.draft();
        draft.dropExpired(now);
        RatchetKdf.ChainStep step = RatchetKdf.chain(draft.sendingChainKey);
        RatchetHeader header = new RatchetHeader(draft.sendingRatchet.publicKey(),
                draft.previousSendingChainLength, draft.sentInChain);
        byte[] encryptedHeader = header.seal(draft.sendingHeaderKey, HEADER_ASSOCIATED_DATA);
        draft.sendingChainKey = step.nextChainKey();
        draft.sentInChain++;
        RatchetKdf.PayloadKey payloadKey = RatchetKdf.payload(step.messageKey(), headerNonce(encryptedHeader));
        byte[] payload = AesGcm.seal(payloadKey.key(), payloadKey.nonce(), plaintext,
                concat(associatedData, encryptedHeader));
        byte[] message = ByteBuffer.allocate(1 + encryptedHeader.length + payload.length).put(VERSION)
                .put(encryptedHeader).put(payload).array();
        return new Sealed(draft.freeze(), message);
    }

    /**
     * {@code state} without its expired kept keys ({@link #SKIPPED_KEY_LIFETIME}, {@link #CLOCK_STEP_BACK_TOLERATED}),
     * or empty if it has none: then there is nothing to store. Seal and open drop them too, but a session that falls
     * silent would keep them in the store for as long as it stays silent; the engine calls this on a timer and when it
     * loads a session, and stores the result when there is one.
     */
    public static Optional<SessionState> dropExpired(SessionState state, Instant now) {
        Draft draft = state.draft();
        return draft.dropExpired(now) ? Optional.of(draft.freeze()) : Optional.empty();
    }

    /**
     * Opens {@code message} with the kept key of a skipped message, the current receiving chain, or, if its header
     * opens under the next receiving header key, after a DH ratchet step.
     *
     * @throws SessionException with its {@link Reason}; {@code state} is unchanged, as always
     */
    public static Opened open(SessionState state, byte[] message, byte[] associatedData, Instant now)
            throws SessionException {
        if (message.length < OVERHEAD) {
            throw new SessionException(Reason.MALFORMED,
                    "a ratchet message is at least " + OVERHEAD + " bytes, this one " + message.length);
        }
        if (message[0] != VERSION) {
            throw new SessionException(Reason.MALFORMED,
                    "ratchet message version " + message[0] + ", this code reads " + VERSION);
        }
        byte[] encryptedHeader = Arrays.copyOfRange(message, 1, 1 + RatchetHeader.ENCRYPTED_SIZE);
        byte[] payloadAssociatedData = concat(associatedData, encryptedHeader);
        Draft draft = state.draft();
        draft.dropExpired(now);

        Optional<byte[]> plaintext = openWithSkippedKey(draft, encryptedHeader, message, payloadAssociatedData);
        if (plaintext.isPresent()) {
            return new Opened(draft.freeze(), plaintext.get());
        }
        Optional<RatchetHeader> current = draft.receivingHeaderKey == null ? Optional.empty()
                : RatchetHeader.open(draft.receivingHeaderKey, encryptedHeader, HEADER_ASSOCIATED_DATA);
        if (current.isPresent()) {
            if (current.get().number() < draft.receivedInChain) {
                throw new SessionException(Reason.KEY_USED_OR_DROPPED,
                        "message " + current.get().number() + " of the current chain: its key is gone");
            }
            skipMessageKeys(draft, current.get().number(), now);
        } else {
            RatchetHeader next = RatchetHeader.open(draft.nextReceivingHeaderKey, encryptedHeader,
                    HEADER_ASSOCIATED_DATA).orElseThrow(() -> new SessionException(Reason.UNDECRYPTABLE,
                            "no header key of this session opens the message"));
            skipMessageKeys(draft, next.previousChainLength(), now);
            ratchetStep(draft, next);
            skipMessageKeys(draft, next.number(), now);
        }
        RatchetKdf.ChainStep step = RatchetKdf.chain(draft.receivingChainKey);
        draft.receivingChainKey = step.nextChainKey();
        draft.receivedInChain++;
        byte[] opened = openPayload(step.messageKey(), message, payloadAssociatedData);
        draft.dropBeyondBound();
        return new Opened(draft.freeze(), opened);
    }

    /**
     * The specification's TrySkippedMessageKeys, one header trial per distinct header key rather than per kept key.
     * Empty if the message is not one of the kept keys' and its header opens under no kept header key, or under the
     * current receiving one (a later message of the current chain).
     */
    private static Optional<byte[]> openWithSkippedKey(Draft draft, byte[] encryptedHeader, byte[] message,
            byte[] payloadAssociatedData) throws SessionException {
        for (byte[] headerKey : SessionState.distinctHeaderKeys(draft.skipped)) {
            Optional<RatchetHeader> header = RatchetHeader.open(headerKey, encryptedHeader, HEADER_ASSOCIATED_DATA);
            if (header.isEmpty()) {
                continue;
            }
            for (int i = 0; i < draft.skipped.size(); i++) {
                SkippedKey kept = draft.skipped.get(i);
                if (kept.belongsTo(headerKey, header.get().number())) {
                    byte[] plaintext = openPayload(kept.messageKey(), message, payloadAssociatedData);
                    draft.skipped.remove(i);
                    return Optional.of(plaintext);
                }
            }
            boolean currentChain = draft.receivingHeaderKey != null
                    && MessageDigest.isEqual(headerKey, draft.receivingHeaderKey);
            if (!currentChain) {
                throw new SessionException(Reason.KEY_USED_OR_DROPPED,
                        "message " + header.get().number() + " of an earlier chain: its key is gone");
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** SkipMessageKeys: keeps the keys of the receiving chain's messages before {@code until}. */
    private static void skipMessageKeys(Draft draft, long until, Instant now) throws SessionException {
        if (until - draft.receivedInChain > MAX_SKIP) {
            throw new SessionException(Reason.TOO_FAR_AHEAD, "opening message " + until + " would skip "
                    + (until - draft.receivedInChain) + " message keys, at most " + MAX_SKIP + " are");
        }
        if (draft.receivingChainKey == null) {
            return;
        }
        while (draft.receivedInChain < until) {
            RatchetKdf.ChainStep step = RatchetKdf.chain(draft.receivingChainKey);
            draft.skipped.add(new SkippedKey(draft.receivingHeaderKey, draft.receivedInChain, step.messageKey(),
                    now.getEpochSecond()));
            draft.receivingChainKey = step.nextChainKey();
            draft.receivedInChain++;
        }
    }

    /** DHRatchetHE: a new receiving chain for the peer's new ratchet key, and a new sending chain with a fresh one. */
    private static void ratchetStep(Draft draft, RatchetHeader header) throws SessionException {
        draft.previousSendingChainLength = draft.sentInChain;
        draft.sentInChain = 0;
        draft.receivedInChain = 0;
        draft.sendingHeaderKey = draft.nextSendingHeaderKey;
        draft.receivingHeaderKey = draft.nextReceivingHeaderKey;
        draft.receivingRatchetPublic = header.ratchetPublic();
        try {
            RatchetKdf.RootStep receiving = RatchetKdf.root(draft.rootKey,
                    draft.sendingRatchet.agree(draft.receivingRatchetPublic));
            draft.rootKey = receiving.rootKey();
            draft.receivingChainKey = receiving.chainKey();
            draft.nextReceivingHeaderKey = receiving.nextHeaderKey();
            draft.sendingRatchet = RatchetKeyPair.generate();
            RatchetKdf.RootStep sending = RatchetKdf.root(draft.rootKey,
                    draft.sendingRatchet.agree(draft.receivingRatchetPublic));
            draft.rootKey = sending.rootKey();
            draft.sendingChainKey = sending.chainKey();
            draft.nextSendingHeaderKey = sending.nextHeaderKey();
        } catch (GeneralSecurityException e) {
            throw new SessionException(Reason.MALFORMED, "the header's ratchet key is not a usable X25519 key", e);
        }
    }

    private static byte[] openPayload(byte[] messageKey, byte[] message, byte[] payloadAssociatedData)
            throws SessionException {
        RatchetKdf.PayloadKey payloadKey = RatchetKdf.payload(messageKey,
                Arrays.copyOfRange(message, 1, 1 + AesGcm.NONCE_SIZE));
        int offset = 1 + RatchetHeader.ENCRYPTED_SIZE;
        try {
            return AesGcm.open(payloadKey.key(), payloadKey.nonce(), message, offset, message.length - offset,
                    payloadAssociatedData);
        } catch (GeneralSecurityException e) {
            throw new SessionException(Reason.UNDECRYPTABLE, "the message's payload does not authenticate", e);
        }
    }

    static byte[] headerNonce(byte[] encryptedHeader) {
        return Arrays.copyOf(encryptedHeader, AesGcm.NONCE_SIZE);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
