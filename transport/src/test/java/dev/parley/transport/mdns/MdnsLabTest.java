package dev.parley.transport.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parley nodes in separate JVMs on a LAN of network namespaces find each other with mDNS, dial each other by
 * PeerId, and lose each other on goodbye and on TTL expiry.
 */
class MdnsLabTest {
    private static final Duration QUERY_INTERVAL = Duration.ofSeconds(1);
    /** Long enough that a peer lost within a few seconds was lost by its goodbye, not by expiry. */
    private static final Duration LONG_TTL = Duration.ofSeconds(60);
    private static final Duration SHORT_TTL = Duration.ofSeconds(3);
    /** Generous: the aim is one second, but a 2-core machine running JVMs side by side may stall. */
    private static final Duration DISCOVERY_BOUND = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static NetworkLab lab;
    private static List<LabHost> lan;

    @BeforeAll
    static void buildLan() throws Exception {
        lab = NetworkLab.create();
        lan = lab.addLan(2);
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void twoNodesFindEachOtherDialByPeerIdSurviveGarbageAndTheGoodbyeLosesOne() throws Exception {
        LabHost first = lan.get(0);
        try (MdnsProbe a = MdnsProbe.start(lab, first,
                List.of("--listen", "/ip4/0.0.0.0/tcp/0", "--mdns-log-level", "DEBUG"), QUERY_INTERVAL, LONG_TTL);
                MdnsProbe b = MdnsProbe.start(lab, lan.get(1), QUERY_INTERVAL, LONG_TTL)) {
            JsonNode bSawA = b.awaitFound(a.peerId(), WAIT);
            JsonNode aSawB = a.awaitFound(b.peerId(), WAIT);
            long bFoundA = bSawA.path("at").asLong() - b.startedAt();
            long aFoundB = aSawB.path("at").asLong() - b.startedAt();
            System.out.printf("mDNS in the lab: the node started second found the first %d ms after its start;"
                    + " the first found it %d ms after that start%n", bFoundA, aFoundB);
            assertThat(bFoundA).isLessThan(DISCOVERY_BOUND.toMillis());
            assertThat(aFoundB).isLessThan(DISCOVERY_BOUND.toMillis());

            // a listens on 0.0.0.0, so it has a loopback address too, which must not go out on eth0.
            assertThat(a.addrs()).anyMatch(address -> address.startsWith("/ip4/127.0.0.1/"));
            List<String> announced = JsPeer.texts(bSawA.path("addrs"));
            assertThat(announced).isNotEmpty().allMatch(address -> address.startsWith("/ip4/" + first.ip() + "/tcp/"));
            assertThat(a.addrs()).map(address -> Multiaddr.parse(address).withoutPeerId().toString())
                    .containsAll(announced);
            assertThat(JsPeer.texts(aSawB.path("addrs"))).containsExactlyElementsOf(
                    b.addrs().stream().map(address -> Multiaddr.parse(address).withoutPeerId().toString()).toList());

            // A packet that is no DNS message is dropped, and a goes on serving (it still answers the dial below
            // and hears b's goodbye).
            lab.run(lan.get(1), "bash", "-c", "printf 'not a DNS message' > /dev/udp/224.0.0.251/5353");
            a.awaitLog("dropped a malformed mDNS packet from /" + lan.get(1).ip(), WAIT);

            JsonNode dialed = b.dial(a.peerId(), WAIT);
            assertThat(dialed.path("ok").asBoolean()).as("dial by PeerId: %s", dialed).isTrue();
            assertThat(dialed.path("remoteAddress").asText()).startsWith("/ip4/" + first.ip() + "/tcp/");

            long stoppedAt = System.currentTimeMillis();
            b.stop();
            JsonNode lost = a.awaitLost(b.peerId(), WAIT);
            long lostAfter = lost.path("at").asLong() - stoppedAt;
            System.out.printf("mDNS goodbye: lost %d ms after the other node was asked to stop%n", lostAfter);
            assertThat(lostAfter).as("lost by the goodbye, long before the %s TTL", LONG_TTL)
                    .isLessThan(DISCOVERY_BOUND.toMillis());
            assertThat(a.events("found")).as("a goodbye must not read as a sighting").hasSize(1);
        }
    }

    /** Two nodes in one namespace share port 5353; one killed with SIGKILL is lost when its records expire. */
    @Test
    void nodesOnOneHostShareThePortAndAKilledNodeIsLostWhenItsTtlRunsOut() throws Exception {
        LabHost host = lan.get(0);
        try (MdnsProbe a = MdnsProbe.start(lab, host, QUERY_INTERVAL, SHORT_TTL);
                MdnsProbe c = MdnsProbe.start(lab, host, QUERY_INTERVAL, SHORT_TTL)) {
            a.awaitFound(c.peerId(), WAIT);
            c.awaitFound(a.peerId(), WAIT);

            long killedAt = System.currentTimeMillis();
            c.kill();
            JsonNode lost = a.awaitLost(c.peerId(), WAIT);
            long lostAfter = lost.path("at").asLong() - killedAt;
            System.out.printf("mDNS TTL expiry: a node killed with SIGKILL was lost %d ms later (TTL %d s)%n",
                    lostAfter, SHORT_TTL.toSeconds());
            // Its last announcement went out at most one query interval before the kill.
            assertThat(lostAfter)
                    .isGreaterThanOrEqualTo(SHORT_TTL.minus(QUERY_INTERVAL).toMillis() - 100)
                    .isLessThan(SHORT_TTL.plus(DISCOVERY_BOUND).toMillis());
        }
    }
}
