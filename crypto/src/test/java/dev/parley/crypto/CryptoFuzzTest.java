package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.FuzzSeeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz targets for what Parley's crypto reads from others or from disk: contact cards, invite codes, envelopes
 * (decoded, and opened as a direct message to us, signed or under a session whose decryption is the identity), room
 * sender keys, and key files (the profile's
 * keysets and backups). Each decodes or throws the checked exception its Javadoc names; anything else fails the
 * run. What decodes encodes back to the same bytes. Corpus in {@code CryptoFuzzTestInputs/<method>/};
 * crypto/README.md, Fuzzing.
 */
class CryptoFuzzTest {
    private static final Identity ME = Identity.generate();
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();
    private static final Path FILE = Path.of("fuzzed.key");
    private static final int CHECKSUM = 32;

    @FuzzTest
    void contactCard(byte[] data) throws InvalidCardException {
        ContactCard card;
        try {
            card = ContactCard.decode(data);
        } catch (InvalidCardException refused) {
            return;
        }
        assertThat(ContactCard.decode(card.encode())).isEqualTo(card);
    }

    @FuzzTest
    void inviteCode(byte[] data) throws InvalidInviteException {
        InviteCode invite;
        try {
            invite = InviteCode.parse(new String(data, StandardCharsets.UTF_8));
        } catch (InvalidInviteException refused) {
            return;
        }
        assertThat(InviteCode.parse(invite.toText())).isEqualTo(invite);
        assertThat(InviteCode.parse(invite.toQrText())).isEqualTo(invite);
    }

    @FuzzTest
    void envelope(byte[] data) throws EnvelopeException {
        try {
            Envelope envelope = Envelope.decode(data);
            assertThat(Envelope.decode(envelope.encode()).header()).isEqualTo(envelope.header());
        } catch (EnvelopeException refused) {
            // the documented refusal
        }
        try {
            SEALER.openDirect(ME, data, new InMemoryReplayGuard(16));
        } catch (EnvelopeException refused) {
            // the documented refusal
        }
        try {
            SEALER.openSession(ME, data, (ciphertext, headerBytes) -> ciphertext, new InMemoryReplayGuard(16));
        } catch (EnvelopeException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void senderKey(byte[] data) throws InvalidSenderKeyException {
        SenderKey key;
        try {
            key = SenderKey.decode(data);
        } catch (InvalidSenderKeyException refused) {
            return;
        }
        assertThat(SenderKey.decode(key.encode())).isEqualTo(key);
    }

    /**
     * A key file with its checksum made right, so the fuzzer explores the header behind it: the input is the
     * file without its last 32 bytes. Read as each kind of key file, as a profile or a restore would.
     */
    @FuzzTest
    void keyFile(byte[] data) {
        byte[] file = Arrays.copyOf(data, data.length + CHECKSUM);
        System.arraycopy(sha256(data), 0, file, data.length, CHECKSUM);
        for (KeyFile.Purpose purpose : KeyFile.Purpose.values()) {
            try {
                KeyFile.parse(FILE, file, purpose);
            } catch (KeyFileException refused) {
                // the documented refusal
            }
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Writes the seeds from the production encoders; run from crypto/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        Identity alice = Identity.generate();
        ContactCard aliceCard = ContactCard.create(alice, "Alice");
        ContactCard myCard = ContactCard.create(ME, "Bö 🙂");
        FuzzSeeds.of(CryptoFuzzTest.class, "contactCard").add(aliceCard.encode()).add(myCard.encode());
        InviteCode invite = InviteCode.create(aliceCard, List.of(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001"),
                Multiaddr.parse("/dns4/parley.test/tcp/443/wss")));
        FuzzSeeds.of(CryptoFuzzTest.class, "inviteCode").add(invite.toText()).add(invite.toQrText())
                .add(InviteCode.create(myCard, List.of()).toText());

        HeaderFields fields = HeaderFields.of(ConversationId.direct(alice.peerId(), ME.peerId()),
                1_700_000_000_000L << 16, EnvelopeKind.TEXT);
        RoomId room = RoomId.fromBytes(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));
        SenderKey key = SenderKey.generate(room, alice.peerId(), 3);
        HeaderFields roomFields = HeaderFields.of(ConversationId.of(room), 1_700_000_000_000L << 16,
                EnvelopeKind.TEXT);
        FuzzSeeds.of(CryptoFuzzTest.class, "envelope")
                .add(SEALER.sealDirect(alice, myCard, fields, "hello".getBytes(StandardCharsets.UTF_8)).encode())
                .add(SEALER.sealRoom(alice, key, roomFields, 7, "hi all".getBytes(StandardCharsets.UTF_8)).encode())
                .add(SEALER.sealSenderKey(alice, myCard, key, 1_700_000_000_000L << 16).encode())
                .add(SEALER.sealSession(alice, ME.peerId(), fields,
                        headerBytes -> "hello".getBytes(StandardCharsets.UTF_8)).encode());
        FuzzSeeds.of(CryptoFuzzTest.class, "senderKey").add(key.encode());

        Path directory = Files.createTempDirectory("parley-fuzz-seeds");
        IdentityFiles.save(alice, directory.resolve("plain"), null);
        IdentityFiles.save(alice, directory.resolve("protected"), "passphrase".toCharArray());
        IdentityBackup.write(alice, Optional.of("Alice"), directory.resolve("backup"), "passphrase".toCharArray());
        FuzzSeeds keyFiles = FuzzSeeds.of(CryptoFuzzTest.class, "keyFile");
        try (var files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                if (!new String(bytes, 0, Math.min(8, bytes.length), StandardCharsets.US_ASCII).equals("PARLEYKF")) {
                    continue;
                }
                keyFiles.add(Arrays.copyOf(bytes, bytes.length - CHECKSUM));
            }
        }
    }
}
