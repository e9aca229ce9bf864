package dev.parley.crypto;

import dev.parley.transport.multiformats.Multiaddr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Prints seal+sign and verify+open rates for 200-byte messages, 1:1 and room, on one thread; the time of one
 * passphrase unlock of a profile; and the length of an invite code. Arguments: messages per measured round
 * (default 3000), rounds (default 3; the first is warm-up and not printed).
 */
public final class EnvelopeBenchmark {
    private static final int MESSAGE_SIZE = 200;

    private EnvelopeBenchmark() {
    }

    @FunctionalInterface
    private interface Sealing {
        Envelope seal(HeaderFields fields, byte[] plaintext) throws EnvelopeException;
    }

    @FunctionalInterface
    private interface Opening {
        Opened open(byte[] encoded, ReplayGuard guard) throws EnvelopeException;
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        TinkEnvelopeSealer sealer = new TinkEnvelopeSealer();
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();
        ContactCard bobsCard = ContactCard.create(bob, "Bob");
        RoomId room = RoomId.random();
        SenderKeyRing alicesRing = new SenderKeyRing(alice.peerId());
        SenderKey alicesKey = alicesRing.rotate(room, 1);
        SenderKeyRing bobsRing = new SenderKeyRing(bob.peerId());
        bobsRing.add(alicesKey);
        byte[] plaintext = new byte[MESSAGE_SIZE];
        new Random(1).nextBytes(plaintext);

        System.out.printf("%d-byte messages, %d per round, one thread, %s %s%n", MESSAGE_SIZE, messages,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        for (int round = 0; round < rounds; round++) {
            boolean print = round > 0;
            measure("1:1 ", messages, print, plaintext, ConversationId.direct(alice.peerId(), bob.peerId()),
                    (fields, text) -> sealer.sealDirect(alice, bobsCard, fields, text),
                    (encoded, guard) -> sealer.openDirect(bob, encoded, guard));
            measure("room", messages, print, plaintext, ConversationId.of(room),
                    (fields, text) -> sealer.sealRoom(alice, alicesKey, fields, 1, text),
                    (encoded, guard) -> sealer.openRoom(encoded, bobsRing, guard));
        }
        measureUnlock(alice);
        InviteCode invite = InviteCode.create(ContactCard.create(alice, "Alice"), List.of(
                Multiaddr.parse("/ip4/10.200.1.23/tcp/4001"),
                Multiaddr.parse("/ip6/2001:db8::17/tcp/4001"),
                Multiaddr.parse("/ip4/203.0.113.9/tcp/4001")));
        System.out.printf("invite code, name \"Alice\" and 3 addresses (2 ip4/tcp, 1 ip6/tcp): %d characters%n",
                invite.toText().length());
        System.out.println(invite.toQrText());
    }

    private static void measure(String label, int messages, boolean print, byte[] plaintext,
            ConversationId conversation, Sealing sealing, Opening opening) throws EnvelopeException {
        List<byte[]> sealed = new ArrayList<>(messages);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            sealed.add(sealing.seal(HeaderFields.of(conversation, i, EnvelopeKind.TEXT), plaintext).encode());
        }
        long sealNanos = System.nanoTime() - start;
        ReplayGuard guard = new InMemoryReplayGuard(messages);
        start = System.nanoTime();
        for (byte[] encoded : sealed) {
            opening.open(encoded, guard);
        }
        long openNanos = System.nanoTime() - start;
        if (print) {
            System.out.printf("%s  seal+sign %7.0f ops/s   verify+open %7.0f ops/s   (envelope %d bytes)%n", label,
                    messages * 1e9 / sealNanos, messages * 1e9 / openNanos, sealed.get(0).length);
        }
    }

    private static void measureUnlock(Identity identity) throws Exception {
        Path profile = Files.createTempDirectory("parley-benchmark-profile");
        try {
            char[] passphrase = "benchmark passphrase".toCharArray();
            long start = System.nanoTime();
            IdentityFiles.save(identity, profile, passphrase);
            System.out.printf("save with passphrase (scrypt N=2^%d r=%d p=%d): %.0f ms%n",
                    PassphraseKey.Cost.DEFAULT.log2N(), PassphraseKey.Cost.DEFAULT.r(), PassphraseKey.Cost.DEFAULT.p(),
                    (System.nanoTime() - start) / 1e6);
            for (int i = 0; i < 3; i++) {
                start = System.nanoTime();
                IdentityFiles.load(profile, passphrase);
                System.out.printf("unlock %d: %.0f ms%n", i + 1, (System.nanoTime() - start) / 1e6);
            }
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
