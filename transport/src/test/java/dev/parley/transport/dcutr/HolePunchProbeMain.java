package dev.parley.transport.dcutr;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.RelayLimits;
import dev.parley.transport.relay.RelayService;
import dev.parley.transport.relay.RelayTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A Java libp2p host inside a lab namespace for {@link HolePunchBenchmark}, one line of output per command:
 * <ul>
 *   <li>{@code relay}: serves circuit relay v2 on 0.0.0.0:4001; prints {@code relay <address>}, then runs until
 *       standard input ends.</li>
 *   <li>{@code peer RELAY}: reads commands. {@code fresh PORT} replaces its host by a new one (new key) listening
 *       on 0.0.0.0:PORT and reserved on RELAY, and prints {@code circuit <address>}; {@code dial CIRCUIT} dials
 *       that address through the relay and waits for DCUtR to make a direct connection, printing
 *       {@code direct <millis from the relayed connection to the direct one>} or {@code relayed}.</li>
 * </ul>
 */
public final class HolePunchProbeMain {
    /** Longer than DCUtR's three attempts of 5 s each. */
    private static final long DIRECT_WAIT_MS = 16_000;

    private HolePunchProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (args[0].equals("relay")) {
            try (Host relay = host()) {
                new IdentifyService(relay, "hole-punch-probe");
                RelayService.start(relay, RelayLimits.defaults());
                out.println("relay " + relay.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/4001")).withPeerId(relay.peerId()));
                in.transferTo(Writer.nullWriter());
            }
            return;
        }
        Multiaddr relayAddress = Multiaddr.parse(args[1]);
        Host host = null;
        for (String line; (line = in.readLine()) != null; ) {
            String[] command = line.split(" ");
            if (command[0].equals("fresh")) {
                if (host != null) {
                    host.close();
                }
                host = host();
                RelayTransport.install(host, false);
                new DcutrService(host, new IdentifyService(host, "hole-punch-probe"), DcutrConfig.defaults());
                host.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/" + command[1]));
                host.listen(relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit")));
                out.println("circuit " + relayAddress.encapsulate(Multiaddr.parse("/p2p-circuit"))
                        .withPeerId(host.peerId()));
            } else if (command[0].equals("dial")) {
                out.println(dial(host, Multiaddr.parse(command[1])));
            }
        }
        if (host != null) {
            host.close();
        }
    }

    private static String dial(Host host, Multiaddr circuit) throws Exception {
        Connection relayed = host.dial(circuit);
        long start = System.nanoTime();
        PeerId peer = relayed.remotePeer();
        while (System.nanoTime() - start < DIRECT_WAIT_MS * 1_000_000) {
            Optional<Connection> direct = host.connection(peer).filter(c -> !c.isRelayed());
            if (direct.isPresent()) {
                return "direct " + (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(5);
        }
        return "relayed";
    }

    private static Host host() {
        return new Host(HostConfig.of(Ed25519PrivateKey.generate()));
    }
}
