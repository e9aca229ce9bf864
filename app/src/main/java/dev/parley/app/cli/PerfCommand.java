package dev.parley.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.node.Node;
import dev.parley.app.profile.ProfileLock;
import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.perf.PerfResult;
import dev.parley.transport.perf.PerfService;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley perf MULTIADDR}: throughput against a libp2p peer that serves {@code /perf/1.0.0}. */
@Command(name = "perf", description = "Measure throughput to a peer serving /perf/1.0.0.")
final class PerfCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Parameters(paramLabel = "MULTIADDR", converter = MultiaddrConverter.class, description = "The peer.")
    Multiaddr target;

    @Option(names = "--download", paramLabel = "BYTES", defaultValue = "0", converter = ByteSizeConverter.class,
            description = "Bytes to receive (e.g. 256MiB; default: 0).")
    long download;

    @Option(names = "--upload", paramLabel = "BYTES", defaultValue = "0", converter = ByteSizeConverter.class,
            description = "Bytes to send (e.g. 256MiB; default: 0).")
    long upload;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = parent.spec.commandLine().getOut();
        ProfileLock lock = ClientNodes.lockIfProfileGiven(parent.common);
        try (lock;
             Node node = ClientNodes.open(parent.common)) {
            Connection connection = node.host().dial(target);
            PerfResult result = PerfService.run(connection, upload, download);
            if (json) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("peer", connection.remotePeer().toBase58());
                fields.put("upload_bytes", result.uploadBytes());
                fields.put("upload_seconds", result.uploadTime().toNanos() / 1e9);
                fields.put("upload_mib_per_s", result.uploadMibPerSecond());
                fields.put("download_bytes", result.downloadBytes());
                fields.put("download_seconds", result.downloadTime().toNanos() / 1e9);
                fields.put("download_mib_per_s", result.downloadMibPerSecond());
                out.println(new ObjectMapper().writeValueAsString(fields));
            } else {
                out.printf("upload:   %d bytes in %.3f s, %.1f MiB/s%n", result.uploadBytes(),
                        result.uploadTime().toNanos() / 1e9, result.uploadMibPerSecond());
                out.printf("download: %d bytes in %.3f s, %.1f MiB/s%n", result.downloadBytes(),
                        result.downloadTime().toNanos() / 1e9, result.downloadMibPerSecond());
            }
            out.flush();
        }
        return 0;
    }
}
