package dev.parley.transport.portmap;

import dev.parley.transport.Connection;
import dev.parley.transport.Host;
import dev.parley.transport.HostConfig;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.ping.PingService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A libp2p host inside a lab namespace for {@link PortMappingLabTest}, printing one JSON object per line:
 * <ul>
 *   <li>{@code serve PROTOCOL}: listens on 0.0.0.0 with ping, asks its router for a mapping by PROTOCOL only and
 *       prints {@code {"mapped": "<external address>/p2p/<id>", "protocol": …, "advertised": …}} once it has
 *       one; on the input line {@code close} closes the port mapping and prints {@code {"closed": [<addresses still advertised>]}}; ends
 *       with its input.</li>
 *   <li>{@code ping ADDRESS}: dials ADDRESS and pings; prints {@code {"rttMs": N}} or {@code {"failed": "why"}}.</li>
 * </ul>
 */
public final class PortMappingProbeMain {
    private static final Duration MAPPING_WAIT = Duration.ofSeconds(30);

    private PortMappingProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        try (Host host = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            PingService ping = new PingService(host);
            if (args[0].equals("ping")) {
                try {
                    Connection connection = host.dial(Multiaddr.parse(args[1]));
                    out.println("{\"rttMs\": " + ping.ping(connection).toMillis() + "}");
                } catch (Exception e) {
                    out.println("{\"failed\": \"" + String.valueOf(e.getMessage()).replace('"', '\'') + "\"}");
                }
                return;
            }
            host.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"));
            PortMappingConfig config = PortMappingConfig.defaults()
                    .only(PortMappingProtocol.valueOf(args[1]));
            PortMappingService mapping = new PortMappingService(host, config);
            mapping.start();
            long deadline = System.nanoTime() + MAPPING_WAIT.toNanos();
            while (mapping.mappings().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (mapping.mappings().isEmpty()) {
                out.println("{\"failed\": \"no mapping within " + MAPPING_WAIT + "\"}");
            } else {
                PortMapping granted = mapping.mappings().get(0);
                boolean advertised = host.listenAddresses().contains(granted.external());
                out.println("{\"mapped\": \"" + granted.external().withPeerId(host.peerId()) + "\", \"protocol\": \""
                        + granted.protocol() + "\", \"advertised\": " + advertised + "}");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("close")) {
                    mapping.close();
                    List<String> left = host.listenAddresses().stream().map(a -> "\"" + a + "\"").toList();
                    out.println("{\"closed\": " + left + "}");
                }
            }
        }
    }
}
