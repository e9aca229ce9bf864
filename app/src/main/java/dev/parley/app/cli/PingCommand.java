package dev.parley.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.node.Node;
import dev.parley.app.profile.ProfileLock;
import dev.parley.transport.Connection;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley ping MULTIADDR}: libp2p ping round trips to any libp2p peer. */
@Command(name = "ping", description = "Ping a libp2p peer with /ipfs/ping/1.0.0.")
final class PingCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Parameters(paramLabel = "MULTIADDR", converter = MultiaddrConverter.class,
            description = "The peer, e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…")
    Multiaddr target;

    @Option(names = "--count", defaultValue = "4", description = "Pings to send (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1");
        }
        PrintWriter out = parent.spec.commandLine().getOut();
        ProfileLock lock = ClientNodes.lockIfProfileGiven(parent.common);
        try (lock;
             Node node = ClientNodes.open(parent.common)) {
            Connection connection = node.host().dial(target);
            List<Duration> rtts = node.ping().ping(connection, count);
            List<Double> millis = rtts.stream().map(PingCommand::millis).toList();
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("peer", connection.remotePeer().toBase58());
                result.put("rtt_ms", millis);
                out.println(new ObjectMapper().writeValueAsString(result));
            } else {
                for (int i = 0; i < millis.size(); i++) {
                    out.printf("pong from %s: seq=%d time=%.3f ms%n", connection.remotePeer(), i + 1, millis.get(i));
                }
            }
            out.flush();
        }
        return 0;
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }
}
