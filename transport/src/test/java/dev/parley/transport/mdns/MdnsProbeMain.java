package dev.parley.transport.mdns;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A Parley node with mDNS discovery, run in its own JVM inside a {@link dev.parley.transport.testing.NetworkLab}
 * host by {@link MdnsProbe}. It prints one JSON object per line:
 *
 * <pre>
 * {"event":"ready","peerId":…,"peerName":…,"addrs":[…],"interfaces":[…],"startedAt":…}  once discovery runs
 * {"event":"found","peerId":…,"addrs":[…],"at":…}                                        DiscoveryEvent.PeerFound
 * {"event":"lost","peerId":…,"at":…}                                                     DiscoveryEvent.PeerLost
 * {"event":"dialed","peerId":…,"ok":true,"remoteAddress":…} or {…,"ok":false,"error":…}  answer to a dial
 * {"event":"closed"}                                                                     goodbye sent, exiting
 * </pre>
 *
 * Times are epoch milliseconds; {@code startedAt} is taken just before discovery starts. On standard input it
 * takes {@code {"cmd":"dial","peerId":…}} (dial by PeerId through the address book); end of input closes it.
 *
 * <pre>
 * MdnsProbeMain [--listen MULTIADDR]... [--interface NAME]... [--query-interval-ms MS] [--ttl-s SECONDS]
 *               [--mdns-log-level LEVEL]
 * </pre>
 *
 * {@code --mdns-log-level DEBUG} shows on stderr what discovery logs at debug level, such as dropped packets.
 */
public final class MdnsProbeMain {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream OUT = new PrintStream(System.out, true, UTF_8);

    private MdnsProbeMain() {
    }

    public static void main(String[] args) throws IOException {
        List<String> listen = new ArrayList<>();
        List<String> interfaces = new ArrayList<>();
        Duration queryInterval = MdnsConfig.DEFAULT_QUERY_INTERVAL;
        Duration ttl = MdnsConfig.DEFAULT_RECORD_TTL;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--listen" -> listen.add(args[i + 1]);
                case "--interface" -> interfaces.add(args[i + 1]);
                case "--query-interval-ms" -> queryInterval = Duration.ofMillis(Long.parseLong(args[i + 1]));
                case "--ttl-s" -> ttl = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                case "--mdns-log-level" -> ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                        MdnsDiscovery.class.getPackageName())).setLevel(Level.toLevel(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --listen, --interface, --query-interval-ms, --ttl-s, --mdns-log-level");
            }
        }
        if (listen.isEmpty()) {
            listen.add("/ip4/0.0.0.0/tcp/0");
        }
        run(listen, new MdnsConfig(interfaces, queryInterval, ttl));
    }

    private static void run(List<String> listen, MdnsConfig config) throws IOException {
        try (Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            for (String address : listen) {
                host.listen(Multiaddr.parse(address));
            }
            MdnsDiscovery discovery = new MdnsDiscovery(host, config);
            discovery.addListener(MdnsProbeMain::report);
            long startedAt = System.currentTimeMillis();
            discovery.start();
            ObjectNode ready = event("ready").put("peerId", host.peerId().toBase58())
                    .put("peerName", discovery.peerName())
                    .put("startedAt", startedAt);
            strings(ready, "addrs", host.listenAddresses().stream().map(a -> a.withPeerId(host.peerId())).toList());
            strings(ready, "interfaces", discovery.interfaces());
            print(ready);
            serveCommands(host);
            discovery.close();
        }
        print(event("closed"));
    }

    private static void report(DiscoveryEvent event) {
        switch (event) {
            case DiscoveryEvent.PeerFound found -> {
                ObjectNode line = event("found").put("peerId", found.peer().toBase58());
                strings(line, "addrs", found.addresses());
                print(line.put("at", System.currentTimeMillis()));
            }
            case DiscoveryEvent.PeerLost lost ->
                    print(event("lost").put("peerId", lost.peer().toBase58()).put("at", System.currentTimeMillis()));
        }
    }

    /** Reads commands until end of input; each dial runs on its own thread. */
    private static void serveCommands(Host host) throws IOException {
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        for (String line = commands.readLine(); line != null; line = commands.readLine()) {
            JsonNode command = JSON.readTree(line);
            if (!"dial".equals(command.path("cmd").asText())) {
                throw new IllegalArgumentException("unknown command " + line + "; known: dial");
            }
            PeerId peer = PeerId.parse(command.path("peerId").asText());
            Thread.ofVirtual().start(() -> dial(host, peer));
        }
    }

    private static void dial(Host host, PeerId peer) {
        ObjectNode dialed = event("dialed").put("peerId", peer.toBase58());
        try {
            Connection connection = host.connect(peer);
            print(dialed.put("ok", true).put("remoteAddress", connection.remoteAddress().toString()));
        } catch (IOException | RuntimeException e) {
            print(dialed.put("ok", false).put("error", e.toString()));
        }
    }

    private static ObjectNode event(String name) {
        return JSON.createObjectNode().put("event", name);
    }

    private static void strings(ObjectNode line, String field, Collection<?> values) {
        ArrayNode array = line.putArray(field);
        values.forEach(value -> array.add(value.toString()));
    }

    private static void print(ObjectNode line) {
        OUT.println(line);
    }
}
