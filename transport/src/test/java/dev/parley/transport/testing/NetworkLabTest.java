package dev.parley.transport.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NetworkLabTest {
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
        Process sleeper = lab.start(lan.getFirst(), new ProcessBuilder("sleep", "600"));
        assertThat(namespaces()).contains(lan.getFirst().namespace(), lan.getFirst().lanSwitch().namespace());

        lab.close();

        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).as("the process started in the lab has ended").isTrue();
        assertThat(namespaces()).doesNotContain(lan.getFirst().namespace(), lan.getFirst().lanSwitch().namespace());
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
        try (NetworkLab lab = NetworkLab.create()) {
            assertThat(namespaces()).doesNotContain(leftover).contains(ours);
        } finally {
            run("ip", "netns", "del", ours);
        }
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
