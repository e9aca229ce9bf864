package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.app.Main;
import dev.parley.app.node.Version;
import dev.parley.crypto.IdentityFiles;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandLineTest {
    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("parley " + Version.get());
        assertThat(Version.get()).doesNotContain("${");
    }

    @Test
    void nodePrintsItsAddressesThenReadyAndKeepsItsPeerIdAcrossRuns() throws Exception {
        Path profile = temp.resolve("profile");
        String first;
        try (NodeProcess node = new NodeProcess(profile)) {
            assertThat(node.addresses()).isNotEmpty().allMatch(a -> a.matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/12D3Koo\\w+"));
            first = node.addresses().get(0);
            assertThat(node.endInput()).isZero();
        }
        try (NodeProcess again = new NodeProcess(profile)) {
            String peerId = first.substring(first.indexOf("/p2p/"));
            assertThat(again.addresses().get(0)).endsWith(peerId);
            again.endInput();
        }
        assertThat(Files.getPosixFilePermissions(profile.resolve(IdentityFiles.SIGNING_KEYSET)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(profile)).doesNotContain(PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ);
    }

    @Test
    void nodeStopsOnSigterm() throws Exception {
        try (NodeProcess node = new NodeProcess(temp.resolve("p"))) {
            node.process().destroy();
            assertThat(node.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aNodeListensOnWebSocketAndIsPingedThere() throws Exception {
        try (NodeProcess node = new NodeProcess(temp.resolve("ws"), "--listen", "/ip4/127.0.0.1/tcp/0/ws")) {
            String webSocket = node.addresses().stream().filter(address -> address.contains("/ws/")).findFirst()
                    .orElseThrow(() -> new AssertionError("no /ws address among " + node.addresses()));

            assertThat(run("ping", webSocket, "--count", "2", "--json", "--bootstrap", "none")).isZero();
            assertThat(new ObjectMapper().readTree(out.toString()).path("rtt_ms")).hasSize(2);
        }
    }

    @Test
    void pingAndPerfAgainstARunningNode() throws Exception {
        try (NodeProcess node = new NodeProcess(temp.resolve("p"), "--perf")) {
            String address = node.addresses().get(0);

            assertThat(run("ping", address, "--count", "3", "--json", "--bootstrap", "none")).isZero();
            JsonNode ping = new ObjectMapper().readTree(out.toString());
            assertThat(ping.path("peer").asText()).isEqualTo(address.substring(address.indexOf("/p2p/") + 5));
            assertThat(ping.path("rtt_ms")).hasSize(3);

            out.getBuffer().setLength(0);
            assertThat(run("perf", address, "--download", "4MiB", "--upload", "1MiB", "--json", "--bootstrap", "none"))
                    .isZero();
            JsonNode perf = new ObjectMapper().readTree(out.toString());
            assertThat(perf.path("download_bytes").asLong()).isEqualTo(4L << 20);
            assertThat(perf.path("upload_bytes").asLong()).isEqualTo(1L << 20);
            node.endInput();
        }
    }

    @Test
    void perfAgainstANodeWithoutPerfSaysSo() throws Exception {
        try (NodeProcess node = new NodeProcess(temp.resolve("p"))) {
            assertThat(run("perf", node.addresses().get(0), "--download", "1KiB", "--bootstrap", "none")).isEqualTo(1);
            assertThat(err.toString()).contains("/perf/1.0.0");
            node.endInput();
        }
    }

    @Test
    void unreachablePeerIsAClearError() {
        assertThat(run("ping", "/ip4/127.0.0.1/tcp/1", "--bootstrap", "none")).isEqualTo(1);
        assertThat(err.toString()).startsWith("parley: cannot connect to /ip4/127.0.0.1/tcp/1");
    }

    @Test
    void malformedMultiaddrIsAUsageError() {
        assertThat(run("ping", "/ip4/203.0.113.999/tcp/1")).isEqualTo(2);
        assertThat(err.toString()).contains("'/ip4/203.0.113.999/tcp/1' is not a multiaddr");
    }

    @Test
    void aRelaysOwnerMustBeAPeerIdAndItsContactCircuitPositive() {
        assertThat(run("relay", "--owner", "nonsense", "--bootstrap", "none")).isEqualTo(2);
        assertThat(err.toString()).contains("'nonsense' is not a PeerId");
        assertThat(run("relay", "--contact-circuit-mib", "0", "--bootstrap", "none", "--profile",
                temp.resolve("relay").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--contact-circuit-mib must be between 1 and");
    }

    @Test
    void bootstrapAcceptsNoneOrMultiaddrsOnly() {
        assertThat(run("--bootstrap", "none", "--version")).isZero();
        assertThat(run("--bootstrap", "nonsense", "--version")).isEqualTo(2);
        assertThat(err.toString()).contains("'nonsense' is not a multiaddr");
    }

    @Test
    void bootstrapNoneMeansNoBootstrapAndTheDefaultIsThePublicDnsaddrList() {
        CommonOptions none = new CommonOptions();
        new CommandLine(none).parseArgs("--bootstrap", "none");
        assertThat(none.bootstrapPeers()).isEmpty();
        assertThat(none.nodeOptions(false, false).reachesOut()).isFalse();

        CommonOptions unset = new CommonOptions();
        new CommandLine(unset).parseArgs();
        assertThat(unset.bootstrapPeers()).isEqualTo(CommonOptions.PUBLIC_BOOTSTRAP);
        assertThat(CommonOptions.PUBLIC_BOOTSTRAP).anyMatch(Multiaddr::isDnsaddr);

        CommonOptions own = new CommonOptions();
        String dnsaddr = "/dnsaddr/boot.test.example/p2p/" + PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        new CommandLine(own).parseArgs("--bootstrap", dnsaddr);
        assertThat(own.bootstrapPeers()).containsExactly(Multiaddr.parse(dnsaddr));
    }

    @Test
    void commonOptionsAreAcceptedAfterTheCommandToo() throws Exception {
        assertThat(run("ping", "--no-mdns", "--name", "Ada", "--profile", temp.resolve("p").toString(),
                "--bootstrap", "none", "/ip4/127.0.0.1/tcp/1")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot connect");
        assertThat(Files.exists(temp.resolve("p").resolve(IdentityFiles.SIGNING_KEYSET))).isTrue();
    }

    @Test
    void byteSizesTakeBinarySuffixes() {
        ByteSizeConverter sizes = new ByteSizeConverter();
        assertThat(sizes.convert("1048576")).isEqualTo(1L << 20);
        assertThat(sizes.convert("64KiB")).isEqualTo(64L << 10);
        assertThat(sizes.convert("256MiB")).isEqualTo(256L << 20);
        assertThat(sizes.convert("1G")).isEqualTo(1L << 30);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sizes.convert("lots"))
                .hasMessageContaining("'lots' is not a byte count");
    }
}
