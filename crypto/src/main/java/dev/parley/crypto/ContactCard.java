package dev.parley.crypto;

import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.hybrid.HpkePublicKey;
import com.google.crypto.tink.util.Bytes;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.crypto.wire.CardProtos;
import dev.parley.transport.keys.Ed25519PublicKey;
import dev.parley.transport.keys.InvalidKeyException;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who a peer is, as the peer says it: PeerId, display name, HPKE public key and when the card was made,
 * signed by the identity key the PeerId inlines. Exchanged on first contact, served on /parley/profile, and
 * carried in invite codes.
 *
 * <p>Wire form: protobuf {@code SignedCard{card, signature}}, where {@code card} is the serialized
 * {@code CardBody} kept verbatim and the signature is Ed25519 over {@code "parley/contact-card/1" 0x00 || card}.
 * The body lists the owner's {@link Feature}s by number, signed with the rest; a card made before features were
 * listed has none, and its signature still verifies over its verbatim bytes.
 */
public final class ContactCard {
    /**
     * What a peer's Parley can do, as its card says: others use it with the peer only when its card lists it. The
     * numbers are the wire form; a number this Parley does not know is kept ({@link #featureNumbers()}) and ignored.
     */
    public enum Feature {
        /** 1:1 messages sealed under forward-secret sessions (issue 21). */
        FORWARD_SECRET_SESSIONS(1),
        /** Room sender keys that advance a hash chain per message (crypto/README.md, "Sender keys"). */
        CHAINED_SENDER_KEYS(2),
        /**
         * Mailbox deposits (issue 22): the owner takes {@code MAILBOX_GRANT} envelopes, gives its contacts
         * capabilities to its mailbox, and opens mailbox letters ({@link MailboxLetter}) and {@code DELIVERED} receipts.
         */
        MAILBOX_DEPOSITS(3),
        /** Keeps letters for its contacts' contacts and hands them over (the app's {@code /parley/carry/1.0.0}). */
        CARRIES_FOR_CONTACTS(4);

        private final int number;

        Feature(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    /** What this Parley advertises on the cards it makes unless told otherwise: everything it can do. */
    public static final Set<Feature> SUPPORTED_FEATURES = Collections.unmodifiableSet(
            EnumSet.of(Feature.FORWARD_SECRET_SESSIONS, Feature.CHAINED_SENDER_KEYS, Feature.MAILBOX_DEPOSITS,
                    Feature.CARRIES_FOR_CONTACTS));
    /** Most feature numbers a card may list; far more than there are features. */
    public static final int MAX_FEATURES = 64;

    public static final int MAX_NAME_CODE_POINTS = 64;
    /** Largest encoded card accepted: a 64-code-point name of 4-byte characters fits with room to spare. */
    public static final int MAX_ENCODED_SIZE = 1024;

    private static final byte[] SIGNATURE_DOMAIN = "parley/contact-card/1\0".getBytes(StandardCharsets.UTF_8);

    private final byte[] encoded;
    private final PeerId peerId;
    private final Ed25519PublicKey identityKey;
    private final String displayName;
    private final byte[] hpkePublicKey;
    private final Instant issuedAt;
    private final HybridEncrypt hpkeEncrypt;
    private final Set<Integer> featureNumbers;

    private ContactCard(byte[] encoded, PeerId peerId, Ed25519PublicKey identityKey, String displayName,
            byte[] hpkePublicKey, Instant issuedAt, HybridEncrypt hpkeEncrypt, Set<Integer> featureNumbers) {
        this.encoded = encoded;
        this.peerId = peerId;
        this.identityKey = identityKey;
        this.displayName = displayName;
        this.hpkePublicKey = hpkePublicKey;
        this.issuedAt = issuedAt;
        this.hpkeEncrypt = hpkeEncrypt;
        this.featureNumbers = featureNumbers;
    }

    /** The identity's card, issued now, with the {@link #SUPPORTED_FEATURES}. */
    public static ContactCard create(Identity identity, String displayName) {
        return create(identity, displayName, Instant.now());
    }

    /** The identity's card with the {@link #SUPPORTED_FEATURES}. */
    public static ContactCard create(Identity identity, String displayName, Instant issuedAt) {
        return create(identity, displayName, issuedAt, SUPPORTED_FEATURES);
    }

    /**
     * The identity's card listing {@code features} (none: a card as a Parley from before features made it).
     *
     * @throws IllegalArgumentException if {@link #displayNameProblem} finds one
     */
    public static ContactCard create(Identity identity, String displayName, Instant issuedAt, Set<Feature> features) {
        displayNameProblem(displayName).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        CardProtos.CardBody.Builder builder = CardProtos.CardBody.newBuilder()
                .setPeerId(ByteString.copyFrom(identity.peerId().bytes()))
                .setDisplayName(displayName)
                .setHpkePublicKey(ByteString.copyFrom(identity.hpkePublicKey()))
                .setIssuedAtMillis(issuedAt.toEpochMilli());
        features.stream().mapToInt(Feature::number).sorted().forEach(builder::addFeatures);
        byte[] body = builder.build().toByteArray();
        byte[] encoded = CardProtos.SignedCard.newBuilder()
                .setCard(ByteString.copyFrom(body))
                .setSignature(ByteString.copyFrom(identity.sign(signedBytes(body))))
                .build()
                .toByteArray();
        try {
            return decode(encoded);
        } catch (InvalidCardException e) {
            throw new IllegalStateException("a card just made does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * Parses and verifies a card: the signature must be by the key inlined in the card's PeerId.
     *
     * @throws InvalidCardException saying what is wrong
     */
    public static ContactCard decode(byte[] encoded) throws InvalidCardException {
        if (encoded.length > MAX_ENCODED_SIZE) {
            throw new InvalidCardException("contact card of " + encoded.length + " bytes exceeds " + MAX_ENCODED_SIZE);
        }
        CardProtos.SignedCard signed;
        CardProtos.CardBody body;
        try {
            signed = CardProtos.SignedCard.parseFrom(encoded);
            body = CardProtos.CardBody.parseFrom(signed.getCard());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidCardException("contact card does not parse: " + e.getMessage(), e);
        }
        PeerId peerId;
        Ed25519PublicKey identityKey;
        try {
            peerId = PeerId.fromBytes(body.getPeerId().toByteArray());
            identityKey = peerId.publicKey();
        } catch (IllegalArgumentException | InvalidKeyException e) {
            throw new InvalidCardException("contact card's PeerId does not inline an Ed25519 key: " + e.getMessage(), e);
        }
        byte[] signedBody = signed.getCard().toByteArray();
        if (!Keysets.verifies(identityKey, signed.getSignature().toByteArray(), signedBytes(signedBody))) {
            throw new InvalidCardException("contact card of " + peerId + " is not signed by its key");
        }
        String name = body.getDisplayName();
        Optional<String> nameProblem = displayNameProblem(name);
        if (nameProblem.isPresent()) {
            throw new InvalidCardException("contact card of " + peerId + ": " + nameProblem.get());
        }
        byte[] hpkePublicKey = body.getHpkePublicKey().toByteArray();
        HybridEncrypt hpkeEncrypt;
        try {
            hpkeEncrypt = Keysets.primitive(
                    HpkePublicKey.create(Keysets.HPKE, Bytes.copyFrom(hpkePublicKey), null), HybridEncrypt.class);
        } catch (GeneralSecurityException e) {
            throw new InvalidCardException("contact card of " + peerId + " has an unusable HPKE key of "
                    + hpkePublicKey.length + " bytes: " + e.getMessage(), e);
        }
        if (body.getFeaturesCount() > MAX_FEATURES) {
            throw new InvalidCardException("contact card of " + peerId + " lists " + body.getFeaturesCount()
                    + " features; at most " + MAX_FEATURES + " are read");
        }
        return new ContactCard(encoded.clone(), peerId, identityKey, name, hpkePublicKey,
                Instant.ofEpochMilli(body.getIssuedAtMillis()), hpkeEncrypt,
                Collections.unmodifiableSet(new LinkedHashSet<>(body.getFeaturesList())));
    }

    /**
     * What is wrong with a display name, if anything: empty, white space at either end, more than
     * {@value #MAX_NAME_CODE_POINTS} code points, or a character that could break or disguise how names are
     * shown (controls, line breaks, lone surrogates, direction overrides).
     */
    public static Optional<String> displayNameProblem(String name) {
        if (name.isBlank()) {
            return Optional.of("a display name cannot be empty");
        }
        if (!name.equals(name.strip())) {
            return Optional.of("display name '" + name + "' starts or ends with white space");
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_NAME_CODE_POINTS) {
            return Optional.of("display name of " + length + " characters exceeds " + MAX_NAME_CODE_POINTS);
        }
        int position = 0;
        for (int codePoint : name.codePoints().toArray()) {
            if (breaksOrDisguises(codePoint)) {
                return Optional.of(String.format("display name has forbidden character U+%04X at position %d",
                        codePoint, position));
            }
            position++;
        }
        return Optional.empty();
    }

    /**
     * Whether {@code codePoint} could break or disguise how text is shown: a control, a line or paragraph separator,
     * a lone surrogate, a direction mark or override. No display name holds one.
     */
    public static boolean breaksOrDisguises(int codePoint) {
        int type = Character.getType(codePoint);
        boolean directionControl = codePoint == 0x200E || codePoint == 0x200F
                || (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
        return directionControl || type == Character.CONTROL || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** What the owner signs: the domain, then the serialized card body. */
    static byte[] signedBytes(byte[] body) {
        byte[] signed = Arrays.copyOf(SIGNATURE_DOMAIN, SIGNATURE_DOMAIN.length + body.length);
        System.arraycopy(body, 0, signed, SIGNATURE_DOMAIN.length, body.length);
        return signed;
    }

    public PeerId peerId() {
        return peerId;
    }

    /** The Ed25519 identity key, inlined in the PeerId and verified to have signed this card. */
    public Ed25519PublicKey identityKey() {
        return identityKey;
    }

    public String displayName() {
        return displayName;
    }

    /** The raw 32-byte X25519 key 1:1 envelopes to this peer are sealed to. */
    public byte[] hpkePublicKey() {
        return hpkePublicKey.clone();
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    /** Whether the owner's card lists {@code feature}: a card from before features were listed lists none. */
    public boolean supports(Feature feature) {
        return featureNumbers.contains(feature.number());
    }

    /** Every feature number the card lists, in its order, those this Parley does not know included. */
    public Set<Integer> featureNumbers() {
        return featureNumbers;
    }

    public byte[] encode() {
        return encoded.clone();
    }

    HybridEncrypt hpkeEncrypt() {
        return hpkeEncrypt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContactCard other && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "ContactCard[" + displayName + ", " + peerId + "]";
    }
}
