package dev.parley.crypto.session;

import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

/**
 * Prints seal and open p50/p99 in microseconds and messages per second for 200-byte messages on one thread, in one
 * direction (a symmetric-chain step per message) and in alternating directions (a DH ratchet step on every open and so
 * a fresh key pair for every reply), each followed by the state's encode and decode as the store will do; and the
 * encoded state's size. Decode checks the stored ratchet public key with an X25519 multiplication, so the open's
 * decode alone is printed too: the engine decodes a state only when it loads a session, not at every message.
 * Arguments: messages per measured round (default 5000), rounds (default 3; the first is warm-up and not printed).
 */
public final class RatchetBenchmark {
    private static final int MESSAGE_SIZE = 200;
    private static final byte[] ASSOCIATED_DATA = new byte[32];

    private RatchetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        byte[] plaintext = new byte[MESSAGE_SIZE];
        new Random(1).nextBytes(plaintext);
        System.out.printf("%d-byte messages, %d per round, one thread, state stored (encode + decode) after each"
                + " step, %s %s%n", MESSAGE_SIZE, messages, System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        for (int round = 0; round < rounds; round++) {
            boolean print = round > 0;
            measure("one direction", messages, false, plaintext, print);
            measure("alternating  ", messages, true, plaintext, print);
        }
        printStateSizes(plaintext);
    }

    private static void measure(String label, int messages, boolean alternate, byte[] plaintext, boolean print)
            throws SessionException {
        SessionState[] states = start();
        Instant now = Instant.now();
        long[] sealNanos = new long[messages];
        long[] openNanos = new long[messages];
        long[] decodeNanos = new long[messages];
        long total = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            int from = alternate ? i % 2 : 0;
            int to = 1 - from;
            long start = System.nanoTime();
            Ratchet.Sealed sealed = Ratchet.seal(states[from], plaintext, ASSOCIATED_DATA, now);
            states[from] = SessionState.decode(sealed.next().encode());
            sealNanos[i] = System.nanoTime() - start;
            start = System.nanoTime();
            Ratchet.Opened opened = Ratchet.open(states[to], sealed.message(), ASSOCIATED_DATA, now);
            byte[] encoded = opened.next().encode();
            long decodeStart = System.nanoTime();
            states[to] = SessionState.decode(encoded);
            long end = System.nanoTime();
            openNanos[i] = end - start;
            decodeNanos[i] = end - decodeStart;
        }
        total = System.nanoTime() - total;
        if (print) {
            System.out.printf("%s  seal p50 %6.1f µs p99 %6.1f µs   open p50 %6.1f µs p99 %6.1f µs   %,8.0f messages/s"
                    + " (seal + open)   of which decode p50 %6.1f µs p99 %6.1f µs%n", label, percentile(sealNanos, 50),
                    percentile(sealNanos, 99), percentile(openNanos, 50), percentile(openNanos, 99),
                    messages / (total / 1e9), percentile(decodeNanos, 50), percentile(decodeNanos, 99));
        }
    }

    /** A session whose responder has opened one message, so both sides can seal. */
    private static SessionState[] start() throws SessionException {
        Party[] session = Party.newSession();
        Ratchet.Sealed first = Ratchet.seal(session[0].state, new byte[1], ASSOCIATED_DATA, Instant.now());
        SessionState responder = Ratchet.open(session[1].state, first.message(), ASSOCIATED_DATA, Instant.now())
                .next();
        return new SessionState[] {first.next(), responder};
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1000.0;
    }

    private static void printStateSizes(byte[] plaintext) throws SessionException {
        SessionState[] states = start();
        Instant now = Instant.now();
        System.out.printf("encoded state: %d bytes (both chains, no skipped key)", states[1].encode().length);
        Ratchet.Sealed skipped = null;
        for (int i = 0; i <= 100; i++) {
            skipped = Ratchet.seal(states[0], plaintext, ASSOCIATED_DATA, now);
            states[0] = skipped.next();
        }
        int withHundred = Ratchet.open(states[1], skipped.message(), ASSOCIATED_DATA, now).next().encode().length;
        System.out.printf(", %d bytes with 100 skipped keys (%d per key)%n", withHundred,
                (withHundred - states[1].encode().length) / 100);
        System.out.printf("message: %d bytes of overhead over the plaintext%n", Ratchet.OVERHEAD);
    }
}
