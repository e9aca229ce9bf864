package dev.parley.transport.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkLabTest {
    private static final int PROBE_PORT = 7000;
    private static final String SUBNET_OF_LANS = NetworkLab.SUBNET_PREFIX + "0.0/16";
    /** Local ports for hole punching, a fresh one per attempt so no earlier connection's state is in the way. */
    private static int nextPort = 41000;
    @Test
    void aLanGivesEachHostItsAddressAndAMulticastRoute() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> first = lab.addLan(2);
            List<LabHost> second = lab.addLan(1);

            assertThat(first).extracting(LabHost::ip).containsExactly("10.200.0.1", "10.200.0.2");
            assertThat(second).extracting(LabHost::ip).containsExactly("10.200.1.1");
            assertThat(lab.run(first.get(1), "ip", "-o", "-4", "addr", "show", "dev", LabHost.INTERFACE))
                    .contains("inet 10.200.0.2/24");
            assertThat(lab.run(first.get(1), "ip", "route", "show"))
                    .contains("224.0.0.0/4 dev eth0")
                    .doesNotContain("default");
            assertThat(lab.run(first.get(0), "ip", "-o", "link", "show"))
                    .as("a host sees only its own interfaces").contains("lo:", "eth0@").doesNotContain("port");
        }
    }

    @Test
    void unpluggingTakesTheCarrierAwayAndPluggingBringsItBack() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost host = lab.addLan(1).getFirst();

            lab.unplug(host);
            assertThat(link(lab, host)).contains("NO-CARRIER").contains("inet 10.200.0.1/24");
            lab.plug(host);
            assertThat(link(lab, host)).contains("LOWER_UP").doesNotContain("NO-CARRIER");
        }
    }

    @Test
    void closingEndsTheLabsProcessesAndDeletesItsNamespaces() throws Exception {
        NetworkLab lab = NetworkLab.create();
        List<LabHost> lan = lab.addLan(1);
        LabHost publicHost = lab.addPublicHosts(1).getFirst();
        NatLan home = lab.addNatLan(1, NatType.SYMMETRIC);
        Process sleeper = lab.start(lan.getFirst(), new ProcessBuilder("sleep", "600"));
        Process natedSleeper = lab.start(home.hosts().getFirst(), new ProcessBuilder("sleep", "600"));
        String[] created = {lan.getFirst().namespace(), lan.getFirst().lanSwitch().namespace(), publicHost.namespace(),
                publicHost.lanSwitch().namespace(), home.router(), home.hosts().getFirst().namespace()};
        assertThat(namespaces()).contains(created);

        lab.close();

        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).as("the process started in the lab has ended").isTrue();
        assertThat(natedSleeper.waitFor(5, TimeUnit.SECONDS)).as("and the one behind the NAT").isTrue();
        assertThat(namespaces()).doesNotContain(created);
    }

    @Test
    void aNewLabDeletesNamespacesThatADeadProcessLeftBehind() throws Exception {
        NetworkLab.assumeAvailable();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String leftover = NetworkLab.PREFIX + gone.pid() + "-1-l0-h1";
        run("ip", "netns", "add", leftover);
        String ours = NetworkLab.PREFIX + ProcessHandle.current().pid() + "-kept-l0-h1";
        run("ip", "netns", "add", ours);
        try {
            NetworkLab lab = NetworkLab.create();
            try (lab) {
                assertThat(namespaces()).doesNotContain(leftover).contains(ours);
            }
        } finally {
            run("ip", "netns", "del", ours);
        }
    }

    @Test
    void aNatRouterMasqueradesItsLanAndDropsWhatArrivesUnasked() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost server = lab.addPublicHosts(1).getFirst();
            NatLan home = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            LabHost inside = home.hosts().getFirst();
            tellObserved(lab, server);

            assertThat(probe(lab, inside, "ask", server.ip(), PROBE_PORT, 40001))
                    .as("the internet sees the router's address, and the port kept")
                    .isEqualTo("observed " + home.publicIp() + " 40001");
            assertThat(server.ip()).isEqualTo("203.0.113.1");
            assertThat(home.publicIp()).isEqualTo("203.0.113.101");

            tellObserved(lab, inside);
            assertThat(probe(lab, server, "ask", home.publicIp(), PROBE_PORT, 40002))
                    .as("unasked, dropped without an answer").contains("failed").contains("timed out");
            assertThat(probe(lab, server, "ask", inside.ip(), PROBE_PORT, 40003))
                    .as("the internet has no route into the LAN").contains("failed");

            lab.run(server, "ip", "route", "add", SUBNET_OF_LANS, "via", home.publicIp());
            assertThat(probe(lab, server, "ask", inside.ip(), PROBE_PORT, 40004))
                    .as("routed to the router, still not forwarded into the LAN, and unanswered")
                    .contains("failed").contains("timed out");
            assertThat(lab.runOnRouter(home, "iptables", "-vnL", "FORWARD"))
                    .as("the FORWARD rule dropped it").containsPattern("(?m)^\\s*[1-9]\\d*\\s+\\d+\\s+DROP");
        }
    }

    @Test
    void twoConeNatsLetASimultaneousOpenThroughAndASymmetricOneDoesNot() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost server = lab.addPublicHosts(1).getFirst();
            NatLan alice = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            NatLan bob = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            NatLan carol = lab.addNatLan(1, NatType.SYMMETRIC);
            tellObserved(lab, server);

            assertThat(punchBetween(lab, server, alice, bob)).containsExactly("connected", "connected");
            assertThat(punchBetween(lab, server, alice, carol))
                    .as("each SYN dropped unanswered: no RST, the dial times out")
                    .allMatch(result -> result.startsWith("failed") && result.contains("timed out"));
        }
    }

    @Test
    void cuttingTheUplinkCutsTheLanOffAndRestoringItBringsItBack() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            LabHost server = lab.addPublicHosts(1).getFirst();
            NatLan home = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            tellObserved(lab, server);

            lab.cutUplink(home);
            assertThat(probe(lab, home.hosts().getFirst(), "ask", server.ip(), PROBE_PORT, 40011)).contains("failed");
            lab.restoreUplink(home);
            assertThat(probe(lab, home.hosts().getFirst(), "ask", server.ip(), PROBE_PORT, 40012)).startsWith("observed");
        }
    }

    /**
     * Each side listens on the same local port, learns its mapped address from {@code server} over a connection from
     * that port which it keeps open, then both dial each other's mapped address from that port at the same moment;
     * returns what each side saw of the dial.
     */
    private static List<String> punchBetween(NetworkLab lab, LabHost server, NatLan one, NatLan other)
            throws Exception {
        int port = nextPort++;
        Process first = lab.start(one.hosts().getFirst(), probeCommand("punch", port, server.ip(), PROBE_PORT));
        Process second = lab.start(other.hosts().getFirst(), probeCommand("punch", port, server.ip(), PROBE_PORT));
        String[] firstMapped = observed(first);
        String[] secondMapped = observed(second);
        long at = System.currentTimeMillis() + 3_000;
        tell(first, secondMapped[1] + " " + secondMapped[2] + " " + at);
        tell(second, firstMapped[1] + " " + firstMapped[2] + " " + at);
        return List.of(output(first), output(second));
    }

    private static String[] observed(Process punching) throws IOException {
        String line = String.valueOf(punching.inputReader().readLine());
        assertThat(line).as("the mapped address the server saw").startsWith("observed ");
        return line.split(" ");
    }

    private static void tell(Process process, String line) throws IOException {
        process.outputWriter().write(line + "\n");
        process.outputWriter().flush();
    }

    private static void tellObserved(NetworkLab lab, LabHost host) throws Exception {
        Process server = lab.start(host, probeCommand("tell-observed", PROBE_PORT));
        assertThat(server.inputReader().readLine()).isEqualTo("ready");
    }

    private static String probe(NetworkLab lab, LabHost host, Object... arguments) throws Exception {
        return output(lab.start(host, probeCommand(arguments)));
    }

    private static ProcessBuilder probeCommand(Object... arguments) {
        return new ProcessBuilder(ChildJvm.command(NatProbeMain.class,
                Arrays.stream(arguments).map(String::valueOf).toList()));
    }

    private static String output(Process process) throws Exception {
        String line = process.inputReader().readLine();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return String.valueOf(line);
    }

    private static String link(NetworkLab lab, LabHost host) throws IOException {
        return lab.run(host, "ip", "addr", "show", "dev", LabHost.INTERFACE);
    }

    private static String namespaces() throws Exception {
        return run("ip", "netns", "list");
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("%s: %s", String.join(" ", command), output).isZero();
        return output;
    }
}
