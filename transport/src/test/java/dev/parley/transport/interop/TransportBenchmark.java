package dev.parley.transport.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.ResourceLimits;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.perf.PerfResult;
import dev.parley.transport.perf.PerfService;
import dev.parley.transport.ping.PingService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Parley's transport against js-libp2p, side by side in one run on loopback (issue #2's figures): connection
 * set-up plus one ping, ping round trips on an open connection, perf download and upload, and for scale the
 * JDK's own ChaCha20-Poly1305 on one core. Each side measures against a server of its own kind. Run:
 * <pre>
 * mvn -q -B -pl transport test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.parley.transport.interop.TransportBenchmark [connections pings MiB]"
 * </pre>
 */
public final class TransportBenchmark {
    private static final int FRAME = 65519;

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int pings = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long bytes = (args.length > 2 ? Long.parseLong(args[2]) : 256) << 20;

        System.out.printf("JDK %s, %d cores; %d connections, %d pings, %d MiB perf%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), connections, pings, bytes >> 20);
        System.out.printf("JDK ChaCha20-Poly1305, one core, 64 KiB frames: %.0f MiB/s%n", jdkCipherMibPerSecond());

        Figures parley = measureParley(connections, pings, bytes);
        Figures js = measureJs(connections, pings, bytes);
        System.out.println();
        System.out.printf("%-34s %14s %14s%n", "", "Parley", "js-libp2p");
        row("connect+ping p50 (ms)", parley.connectP50, js.connectP50);
        row("connect+ping p99 (ms)", parley.connectP99, js.connectP99);
        row("ping rtt p50 (ms)", parley.pingP50, js.pingP50);
        row("ping rtt p99 (ms)", parley.pingP99, js.pingP99);
        row("perf download (MiB/s)", parley.downloadMibS, js.downloadMibS);
        row("perf upload (MiB/s)", parley.uploadMibS, js.uploadMibS);
    }

    record Figures(double connectP50, double connectP99, double pingP50, double pingP99,
                   double downloadMibS, double uploadMibS) {
    }

    private static void row(String name, double parley, double js) {
        System.out.printf("%-34s %14.3f %14.3f%n", name, parley, js);
    }

    private static Figures measureParley(int connections, int pings, long bytes) throws IOException {
        // Closed connections leave the server a moment later; a loop of reconnects must not hit the per-peer cap.
        ResourceLimits roomy = ResourceLimits.defaults().withMaxConnectionsPerPeer(1024);
        try (Host server = new Host(HostConfig.of(Ed25519PrivateKey.generate()).withLimits(roomy));
             Host client = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            new PingService(server);
            PerfService.enable(server);
            PingService ping = new PingService(client);
            Multiaddr target = server.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).withPeerId(server.peerId());

            for (int i = 0; i < 50; i++) {
                Connection warm = client.dial(target);
                ping.ping(warm);
                warm.close();
            }
            double[] connect = new double[connections];
            for (int i = 0; i < connections; i++) {
                long start = System.nanoTime();
                Connection connection = client.dial(target);
                ping.ping(connection);
                connect[i] = (System.nanoTime() - start) / 1e6;
                connection.close();
            }
            Connection connection = client.dial(target);
            List<Duration> rtts = ping.ping(connection, 200 + pings);
            double[] rttMillis = rtts.subList(200, rtts.size()).stream().mapToDouble(d -> d.toNanos() / 1e6).toArray();
            PerfService.run(connection, bytes / 4, bytes / 4);
            PerfResult download = PerfService.run(connection, 0, bytes);
            PerfResult upload = PerfService.run(connection, bytes, 0);
            return new Figures(percentile(connect, 0.5), percentile(connect, 0.99),
                    percentile(rttMillis, 0.5), percentile(rttMillis, 0.99),
                    download.downloadMibPerSecond(), upload.uploadMibPerSecond());
        }
    }

    private static Figures measureJs(int connections, int pings, long bytes) throws Exception {
        try (JsPeer server = JsPeer.start()) {
            ProcessBuilder bench = NodeRuntime.require().script("bench.mjs", List.of("--target", server.address(),
                    "--connections", String.valueOf(connections), "--pings", String.valueOf(pings),
                    "--bytes", String.valueOf(bytes)));
            Process process = bench.redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("bench.mjs failed: " + output);
            }
            JsonNode figures = new ObjectMapper().readTree(output);
            return new Figures(figures.path("connect").path("p50Ms").asDouble(),
                    figures.path("connect").path("p99Ms").asDouble(),
                    figures.path("ping").path("p50Ms").asDouble(), figures.path("ping").path("p99Ms").asDouble(),
                    figures.path("download").path("mibPerSecond").asDouble(),
                    figures.path("upload").path("mibPerSecond").asDouble());
        }
    }

    /** What the JDK's cipher encrypts per second on one core: the ceiling for one direction of Noise. */
    private static double jdkCipherMibPerSecond() throws Exception {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
        byte[] plain = new byte[FRAME];
        byte[] sealed = new byte[FRAME + 16];
        byte[] nonce = new byte[12];
        long counter = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            counter = seal(cipher, key, nonce, counter, plain, sealed);
        }
        long start = System.nanoTime();
        long frames = 0;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)) {
            counter = seal(cipher, key, nonce, counter, plain, sealed);
            frames++;
        }
        return frames * (double) FRAME / (1 << 20) / ((System.nanoTime() - start) / 1e9);
    }

    private static long seal(Cipher cipher, SecretKeySpec key, byte[] nonce, long counter, byte[] plain, byte[] sealed)
            throws Exception {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
        cipher.doFinal(plain, 0, plain.length, sealed, 0);
        return counter + 1;
    }

    private static double percentile(double[] samples, double p) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
