package dev.parley.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.engine.TestFiles;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NatLan;
import dev.parley.transport.testing.NatType;
import dev.parley.transport.testing.NetworkLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley across the lab's internet (transport/README.md, "Network lab"): three {@code parley relay} nodes on public addresses are the
 * bootstrap peers, DHT, AutoNAT servers and relays; Alice and Bob each sit behind a NAT router of their own, Carol on
 * a public address. Nobody is given anyone's address: peers are found through the DHT.
 */
class InternetLabTest {
    static final String FILE_MIB_PROPERTY = "parley.lab.fileMiB";

    @TempDir
    Path profiles;

    /** Starts three relays on the first three of {@code internet}; returns chat options that bootstrap from them. */
    private String[] relaysOn(NetworkLab lab, List<LabHost> internet) throws Exception {
        List<LabRelay> relays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            relays.add(LabRelay.start(lab, internet.get(i), profiles.resolve("relay" + i), List.copyOf(relays)));
        }
        List<String> options = new ArrayList<>(List.of("--no-mdns"));
        relays.forEach(relay -> options.addAll(List.of("--bootstrap", relay.address())));
        return options.toArray(String[]::new);
    }

    /** Alice behind a cone NAT, Bob behind a NAT of {@code bobs}, three relays and {@code extraPublicHosts} more. */
    private record World(List<LabHost> internet, NatLan aliceHome, NatLan bobHome, String[] online) {
    }

    private World world(NetworkLab lab, NatType bobs, int extraPublicHosts) throws Exception {
        List<LabHost> internet = lab.addPublicHosts(3 + extraPublicHosts);
        NatLan aliceHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
        NatLan bobHome = lab.addNatLan(1, bobs);
        return new World(internet, aliceHome, bobHome, relaysOn(lab, internet));
    }

    private LabChat alice(NetworkLab lab, World world) throws Exception {
        return LabChat.start(lab, world.aliceHome().hosts().getFirst(), profiles.resolve("alice"), "Alice",
                world.online());
    }

    private LabChat bob(NetworkLab lab, World world) throws Exception {
        return LabChat.start(lab, world.bobHome().hosts().getFirst(), profiles.resolve("bob"), "Bob", world.online());
    }

    @Test
    void behindTwoNatsAliceAndBobFindEachOtherInTheDhtAndChatWhileAutoNatTellsWhoIsReachable() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, NatType.PORT_RESTRICTED_CONE, 1);
            LabHost carolsHost = world.internet().get(3);
            try (LabChat alice = alice(lab, world); LabChat bob = bob(lab, world);
                 LabChat carol = LabChat.start(lab, carolsHost, profiles.resolve("carol"), "Carol", world.online())) {
                alice.await("reachability", event -> event.path("status").asText().equals("private"));
                bob.await("reachability", event -> event.path("status").asText().equals("private"));
                JsonNode carolReached = carol.await("reachability",
                        event -> event.path("status").asText().equals("public"));
                assertThat(carolReached.path("address").asText()).isEqualTo(carolsHost.tcpMultiaddr(LabChat.PORT));

                LabChat.befriend(alice, bob);
                JsonNode relayed = alice.await("connection", event -> event.path("peerId").asText().equals(bob.peerId())
                        && event.path("path").asText().equals("relayed"));
                assertThat(relayed.path("address").asText()).as("two NATs apart, a relay carries the chat first")
                        .contains("/p2p-circuit");
                JsonNode punched = alice.await("connection", event -> event.path("peerId").asText().equals(bob.peerId())
                        && event.path("path").asText().equals("hole-punched"));
                assertThat(punched.path("address").asText()).as("then Bob's router's public address, directly")
                        .startsWith("/ip4/" + world.bobHome().publicIp() + "/tcp/");
                bob.send("/msg Alice now without the relay");
                alice.await("message", event -> event.path("text").asText().equals("now without the relay"));
            }
        }
    }

    /**
     * A file across two NATs, over the hole-punched connection: a relay would carry no more than 64 KiB of it.
     * {@value #FILE_MIB_PROPERTY} sets its size in MiB (256 by default; 1024 for the figure).
     */
    @Test
    void aFileGoesStraightFromAliceToBobOverTheHolePunchedConnection() throws Exception {
        long size = Long.getLong(FILE_MIB_PROPERTY, 256) << 20;
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, NatType.PORT_RESTRICTED_CONE, 0);
            try (LabChat alice = alice(lab, world); LabChat bob = bob(lab, world)) {
                LabChat.befriend(alice, bob);
                alice.await("connection", event -> event.path("peerId").asText().equals(bob.peerId())
                        && event.path("path").asText().equals("hole-punched"));
                Path sent = TestFiles.random(profiles.resolve("film.mkv"), size, 23);
                alice.send("/send Bob " + sent);
                String id = alice.await("sent", event -> event.path("fileName").asText().equals("film.mkv"),
                        Duration.ofMinutes(2)).path("id").asText();
                JsonNode offered = bob.await("message", event -> event.path("id").asText().equals(id));
                assertThat(offered.path("fileSize").asLong()).isEqualTo(size);
                long started = System.nanoTime();
                bob.send("/get " + offered.path("number").asInt());
                bob.await("file", event -> event.path("id").asText().equals(id)
                        && event.path("state").asText().equals("complete"), Duration.ofMinutes(10));
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf("FIGURE lab file %d MiB over the hole-punched connection: %.1f s, %.0f MiB/s%n",
                        size >> 20, seconds, (size >> 20) / seconds);
                assertThat(bob.events("connection")).filteredOn(event -> event.path("peerId").asText()
                        .equals(alice.peerId())).last().satisfies(event ->
                        assertThat(event.path("path").asText()).isEqualTo("hole-punched"));

                Path saved = Files.createDirectories(profiles.resolve("bobs-downloads"));
                bob.send("/save " + offered.path("number").asInt() + " " + saved);
                Path copy = Path.of(bob.await("saved", event -> true).path("path").asText());
                assertThat(TestFiles.sha256(copy)).isEqualTo(TestFiles.sha256(sent));
            }
        }
    }

    @Test
    void behindASymmetricNatHolePunchingFailsAndTheChatStaysOnTheRelay() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, NatType.SYMMETRIC, 0);
            try (LabChat alice = alice(lab, world); LabChat bob = bob(lab, world)) {
                LabChat.befriend(alice, bob);
                alice.await("connection", event -> event.path("peerId").asText().equals(bob.peerId())
                        && event.path("path").asText().equals("relayed"));

                // Bob's three attempts take at most 3 x 5 s; the chat goes on meanwhile and after.
                for (int i = 0; i < 20; i++) {
                    alice.send("/msg Bob still here " + i);
                    Thread.sleep(1_000);
                }
                bob.awaitReceivedInOrder("still here ", 20, LabChat.WAIT);
                assertThat(alice.events("connection")).extracting(event -> event.path("path").asText())
                        .as("never direct").doesNotContain("hole-punched", "direct");
            }
        }
    }

    @Test
    void behindARouterThatMapsPortsBobIsPublicAndAliceDialsHimDirectly() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            // symmetric: without the mapping Bob could be reached only through a relay
            World world = world(lab, NatType.SYMMETRIC, 0);
            lab.enablePortMapping(world.bobHome());
            try (LabChat alice = alice(lab, world); LabChat bob = bob(lab, world)) {
                String bobsRouter = "/ip4/" + world.bobHome().publicIp() + "/tcp/" + LabChat.PORT;
                JsonNode reached = bob.await("reachability", event -> event.path("status").asText().equals("public"));
                assertThat(reached.path("address").asText()).as("reachable where his router forwards his port")
                        .isEqualTo(bobsRouter);

                LabChat.befriend(alice, bob);
                JsonNode connected = alice.await("connection",
                        event -> event.path("peerId").asText().equals(bob.peerId())
                                && !event.path("path").asText().equals("none"));
                assertThat(connected.path("path").asText()).as("no relay, no hole punching").isEqualTo("direct");
                assertThat(connected.path("address").asText()).startsWith(bobsRouter);
            }
            assertThat(lab.runOnRouter(world.bobHome(), "nft", "list", "chain", "inet", "parley_upnp",
                    "prerouting_miniupnpd")).as("Bob's node removed its mapping when it stopped")
                    .doesNotContain("dport " + LabChat.PORT);
        }
    }

    @Test
    void aRouterDownForTenSecondsMidConversationLosesAndDuplicatesNothing() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, NatType.PORT_RESTRICTED_CONE, 0);
            try (LabChat alice = alice(lab, world); LabChat bob = bob(lab, world)) {
                LabChat.befriend(alice, bob);

                int messages = 30;
                for (int i = 0; i < messages; i++) {
                    alice.send("/msg Bob flap " + i);
                    if (i == 10) {
                        lab.cutUplink(world.aliceHome());
                    }
                    if (i == 20) {
                        Thread.sleep(10_000);
                        lab.restoreUplink(world.aliceHome());
                    }
                }

                bob.awaitReceivedInOrder("flap ", messages, LabChat.WAIT);
            }
        }
    }
}
