package dev.parley.app.lab;

import dev.parley.crypto.InviteCode;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NatLan;
import dev.parley.transport.testing.NatType;
import dev.parley.transport.testing.NetworkLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Time from starting {@code parley chat} to its first message delivered through a relay, in the NAT lab (run as
 * root): three {@code parley relay} nodes on the lab's internet, Bob behind one NAT router, and a new Alice behind
 * another in each run, with a new profile (so key generation counts), given Bob's invite with only his relay
 * address. Prints p50 and max from the launch of Alice's JVM and from her {@code ready} line to the
 * {@code delivered} event.
 *
 * <pre>
 * mvn -q -B install -DskipTests &amp;&amp; mvn -q -B -pl app test-compile exec:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test -Dexec.args="-cp %classpath dev.parley.app.lab.RelayDeliveryBenchmark 20"
 * </pre>
 */
public final class RelayDeliveryBenchmark {
    private RelayDeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path profiles = Files.createTempDirectory("relay-delivery");
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> internet = lab.addPublicHosts(3);
            NatLan aliceHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            NatLan bobHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            List<LabRelay> relays = new ArrayList<>();
            List<String> online = new ArrayList<>(List.of("--no-mdns"));
            for (int i = 0; i < 3; i++) {
                LabRelay relay = LabRelay.start(lab, internet.get(i), profiles.resolve("relay" + i), List.copyOf(relays));
                relays.add(relay);
                online.addAll(List.of("--bootstrap", relay.address()));
            }
            String[] options = online.toArray(String[]::new);
            try (LabChat bob = LabChat.start(lab, bobHome.hosts().getFirst(), profiles.resolve("bob"), "Bob", options)) {
                String invite = relayOnlyInvite(bob);
                List<Long> fromLaunch = new ArrayList<>();
                List<Long> fromReady = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    long launched = System.nanoTime();
                    try (LabChat alice = LabChat.start(lab, aliceHome.hosts().getFirst(),
                            profiles.resolve("alice" + run), "Alice", options)) {
                        long ready = System.nanoTime();
                        alice.send("/add " + invite);
                        alice.send("/msg Bob run " + run);
                        alice.await("delivered", event -> true);
                        long delivered = System.nanoTime();
                        fromLaunch.add((delivered - launched) / 1_000_000);
                        fromReady.add((delivered - ready) / 1_000_000);
                    }
                }
                System.out.printf("first message through a relay, %d runs: from launch p50 %d ms, max %d ms; "
                        + "from ready p50 %d ms, max %d ms%n", runs, p50(fromLaunch), max(fromLaunch),
                        p50(fromReady), max(fromReady));
            }
        }
    }

    /** Bob's invite, once it carries his relay address, cut down to that address alone. */
    private static String relayOnlyInvite(LabChat bob) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            int before = bob.events("invite").size();
            bob.send("/invite");
            bob.await("invite", event -> bob.events("invite").size() > before);
            InviteCode invite = InviteCode.parse(bob.events("invite").getLast().path("code").asText());
            List<Multiaddr> circuits = invite.addresses().stream().filter(Multiaddr::isCircuit).toList();
            if (!circuits.isEmpty()) {
                return InviteCode.create(invite.card(), circuits).toText();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Bob never reserved on a relay");
    }

    private static long p50(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }
}
