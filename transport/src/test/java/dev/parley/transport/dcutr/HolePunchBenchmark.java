package dev.parley.transport.dcutr;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.transport.testing.ChildJvm;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NatLan;
import dev.parley.transport.testing.NatType;
import dev.parley.transport.testing.NetworkLab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Hole-punch success rate and time, in the NAT lab (run as root): a Java relay on the lab's internet, Alice behind a
 * port-restricted cone NAT, Bob behind a cone NAT in one series and a symmetric one in the other. Each attempt uses
 * new hosts on a new port, so no earlier attempt's NAT state helps; Alice dials Bob through the relay and waits up
 * to 16 s for DCUtR (run by Bob, as the spec's B, three attempts of up to 5 s) to make the connection direct. An
 * optional second argument runs one series only: PORT_RESTRICTED_CONE or SYMMETRIC.
 *
 * <pre>
 * mvn -q -B -pl transport test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.parley.transport.dcutr.HolePunchBenchmark 50"
 * </pre>
 */
public final class HolePunchBenchmark {
    private HolePunchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int attempts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        List<NatType> series = args.length > 1 ? List.of(NatType.valueOf(args[1]))
                : List.of(NatType.PORT_RESTRICTED_CONE, NatType.SYMMETRIC);
        for (NatType bobs : series) {
            try (NetworkLab lab = NetworkLab.create()) {
                LabHost relayHost = lab.addPublicHosts(1).getFirst();
                NatLan aliceHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
                NatLan bobHome = lab.addNatLan(1, bobs);
                Probe relay = new Probe(lab, relayHost, "relay");
                String relayAddress = relay.line().substring("relay ".length())
                        .replace("/0.0.0.0/", "/" + relayHost.ip() + "/");
                Probe alice = new Probe(lab, aliceHome.hosts().getFirst(), "peer", relayAddress);
                Probe bob = new Probe(lab, bobHome.hosts().getFirst(), "peer", relayAddress);
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < attempts; i++) {
                    int port = 42000 + i;
                    alice.send("fresh " + port);
                    alice.line();
                    bob.send("fresh " + port);
                    String circuit = bob.line().substring("circuit ".length());
                    alice.send("dial " + circuit);
                    String outcome = alice.line();
                    if (outcome.startsWith("direct ")) {
                        millis.add(Long.parseLong(outcome.substring("direct ".length())));
                    }
                }
                millis.sort(null);
                System.out.printf("cone NAT to %s NAT: %d of %d attempts direct (%.0f%%)%s%n", bobs, millis.size(),
                        attempts, 100.0 * millis.size() / attempts, millis.isEmpty() ? ""
                                : String.format("; relayed to direct p50 %d ms, p95 %d ms, max %d ms",
                                        millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.95)),
                                        millis.getLast()));
            }
        }
    }

    private static final class Probe {
        private final PrintWriter in;
        private final BufferedReader out;
        private final LabHost host;

        Probe(NetworkLab lab, LabHost host, String... arguments) throws IOException {
            this.host = host;
            Process process = lab.start(host, new ProcessBuilder(ChildJvm.command(HolePunchProbeMain.class,
                    List.of(arguments))).redirectError(ProcessBuilder.Redirect.DISCARD));
            this.in = new PrintWriter(process.outputWriter(UTF_8), true);
            this.out = process.inputReader(UTF_8);
        }

        void send(String command) {
            in.println(command);
        }

        String line() throws IOException {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the probe on " + host + " ended");
            }
            return line;
        }
    }
}
