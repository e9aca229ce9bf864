package dev.parley.transport.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Prints the throughput of the JDK's ChaCha20-Poly1305 sealing full Noise frames on one thread, next to that
 * of a {@link SecureChannel} pair over an in-memory pipe (one thread encrypting, one decrypting). The channel
 * should reach at least 70% of the raw cipher.
 *
 * <p>Besides wall-clock rates it prints rates per CPU second of the busiest thread, which is what a side
 * reaches with a core to itself; on a machine shared with other work, those are the figures to compare.
 * A program, not a test; run it with a JDK 21+ after
 * {@code mvn -pl transport test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}:
 *
 * <pre>
 * java -cp transport/target/classes:transport/target/test-classes:$(cat transport/target/cp.txt) \
 *     dev.parley.transport.noise.NoiseThroughputBenchmark
 * </pre>
 */
public final class NoiseThroughputBenchmark {
    private static final long WARM_UP_BYTES = 512L << 20;
    private static final long MEASURED_BYTES = 1L << 30;
    private static final int CHUNK = 64 * 1024;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private NoiseThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (int round = 0; round <= 3; round++) {
            long bytes = round == 0 ? WARM_UP_BYTES : MEASURED_BYTES;
            Rate raw = rawCipher(bytes);
            Rate channel = channel(bytes);
            if (round > 0) {
                System.out.printf(Locale.ROOT, "round %d: raw ChaCha20-Poly1305 %.0f MiB/s (%.0f per CPU s),"
                        + " SecureChannel %.0f MiB/s (%.0f per CPU s of its busier side): %.0f%% wall, %.0f%% CPU%n",
                        round, raw.wall(), raw.perCpu(), channel.wall(), channel.perCpu(),
                        100 * channel.wall() / raw.wall(), 100 * channel.perCpu() / raw.perCpu());
            }
        }
    }

    /** MiB/s by the wall clock, and per CPU second of the busiest thread involved. */
    private record Rate(double wall, double perCpu) {
        static Rate of(long bytes, long wallNanos, long cpuNanos) {
            return new Rate(mebibytesPerSecond(bytes, wallNanos), mebibytesPerSecond(bytes, cpuNanos));
        }
    }

    /** Seals {@code total} bytes as full frames in place with the bare JDK cipher, a fresh nonce per frame. */
    private static Rate rawCipher(long total) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        SecretKeySpec key = new SecretKeySpec(new byte[CipherState.KEY_SIZE], "ChaCha20");
        byte[] nonce = new byte[12];
        byte[] frame = new byte[NoiseFrame.MAX_MESSAGE_SIZE];
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (long done = 0, n = 0; done < total; done += NoiseFrame.MAX_PLAINTEXT_SIZE, n++) {
            ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(4, n);
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            cipher.doFinal(frame, 0, NoiseFrame.MAX_PLAINTEXT_SIZE, frame, 0);
        }
        return Rate.of(total, System.nanoTime() - start, CPU.getCurrentThreadCpuTime() - cpuStart);
    }

    /**
     * Sends {@code total} bytes through a fresh channel pair in 64 KiB writes, measured at the reader. Platform
     * threads, so each side's CPU time can be read.
     */
    private static Rate channel(long total) throws Exception {
        ChannelPair pair = ChannelPair.establish();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            long start = System.nanoTime();
            Future<Long> writer = threads.submit(() -> cpuTime(() -> write(pair.dialer().out(), total)));
            Future<Long> reader = threads.submit(() -> cpuTime(() -> drain(pair.listener().in(), total)));
            long readerCpu = reader.get();
            long elapsed = System.nanoTime() - start;
            return Rate.of(total, elapsed, Math.max(readerCpu, writer.get()));
        } finally {
            threads.shutdown();
            pair.dialer().close();
            pair.listener().close();
        }
    }

    private interface Work {
        void run() throws IOException;
    }

    private static long cpuTime(Work work) throws IOException {
        long start = CPU.getCurrentThreadCpuTime();
        work.run();
        return CPU.getCurrentThreadCpuTime() - start;
    }

    private static void write(OutputStream out, long total) throws IOException {
        byte[] chunk = new byte[CHUNK];
        for (long left = total; left > 0; left -= CHUNK) {
            out.write(chunk, 0, (int) Math.min(CHUNK, left));
        }
        out.flush();
    }

    private static void drain(InputStream in, long total) throws IOException {
        byte[] chunk = new byte[CHUNK];
        for (long received = 0; received < total; ) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("stream ended after " + received + " of " + total + " bytes");
            }
            received += n;
        }
    }

    private static double mebibytesPerSecond(long bytes, long nanos) {
        return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
    }
}
