package dev.parley.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.EngineConfig;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NatLan;
import dev.parley.transport.testing.NatType;
import dev.parley.transport.testing.NetworkLab;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ada and Bo behind NAT routers of their own, never online at the same time (app/README.md, "Mailboxes in the engine"
 * and "Contacts who carry"): Ada writes 200 messages while Bo is away and leaves; Bo comes, reads them and leaves; Ada
 * comes back to "delivered" for all 200. The messages wait in a mailbox on a public host, in one behind a third NAT
 * reached through a relay, or with Carol, with no mailbox anywhere. Three {@code parley relay} nodes are the lab's
 * bootstrap peers, DHT and relays; every process is a real {@code parley} in its namespace.
 */
class MailboxLabTest {
    private static final int MESSAGES = 200;
    private static final String WHILE_AWAY = "while you are away ";
    /** 200 messages after a dial that has to fail first, through relays with their data limits: more than one wait. */
    private static final Duration LONG_WAIT = Duration.ofMinutes(3);

    @TempDir
    Path profiles;

    /** The lab's internet (the relays first), Ada's and Bo's homes, and the options that bootstrap from the relays. */
    private record World(List<LabHost> internet, List<LabRelay> relays, NatLan adasHome, NatLan bosHome,
                         List<String> online) {
    }

    private World world(NetworkLab lab, int extraPublicHosts) throws Exception {
        List<LabHost> internet = lab.addPublicHosts(3 + extraPublicHosts);
        List<LabRelay> relays = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            relays.add(LabRelay.start(lab, internet.get(i), profiles.resolve("relay" + i), List.copyOf(relays)));
        }
        List<String> online = new ArrayList<>(List.of("--no-mdns"));
        relays.forEach(relay -> online.addAll(List.of("--bootstrap", relay.address())));
        return new World(internet, relays, lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE),
                lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE), online);
    }

    @Test
    void twoHundredMessagesWaitForBoInAMailboxOnAPublicHost() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, 1);
            LabMailbox mailbox = LabMailbox.start(lab, world.internet().get(3), profiles.resolve("mailbox"),
                    world.online().toArray(String[]::new));
            neverOnlineTogether(lab, world, Optional.of(mailbox), Optional.empty());
        }
    }

    @Test
    void twoHundredMessagesWaitForBoInAMailboxBehindAThirdNatReachedThroughARelay() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, 0);
            NatLan mailboxHome = lab.addNatLan(1, NatType.PORT_RESTRICTED_CONE);
            String relay = world.relays().getFirst().address();
            LabMailbox mailbox = LabMailbox.start(lab, mailboxHome.hosts().getFirst(), profiles.resolve("mailbox"),
                    Stream.concat(world.online().stream(), Stream.of("--relay", relay)).toArray(String[]::new));
            assertThat(mailbox.pairingCode().addresses()).as("its pairing code names its address through the relay")
                    .anyMatch(address -> address.isCircuit() && address.toString().startsWith(relay));
            assertThat(mailbox.pairingCode().addresses()).filteredOn(address -> !address.isCircuit())
                    .as("and no address that can be reached from outside its NAT").allMatch(Multiaddr::isPrivate);
            neverOnlineTogether(lab, world, Optional.of(mailbox), Optional.empty());
        }
    }

    @Test
    void twoHundredMessagesWaitForBoWithCarolWithNoMailboxAnywhere() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            World world = world(lab, 1);
            neverOnlineTogether(lab, world, Optional.empty(), Optional.of(world.internet().get(3)));
        }
    }

    /**
     * Ada and Bo become contacts (and pair with {@code mailbox}, or befriend Carol on {@code carolsHost}); then Bo
     * leaves, Ada writes {@link #MESSAGES} and leaves once they are held for him, Bo comes back, reads them and leaves
     * once his receipts are held for her, and Ada comes back to see each delivered.
     */
    private void neverOnlineTogether(NetworkLab lab, World world, Optional<LabMailbox> mailbox,
                                     Optional<LabHost> carolsHost) throws Exception {
        Optional<LabChat> carol = Optional.empty();
        try {
            if (carolsHost.isPresent()) {
                carol = Optional.of(start(lab, carolsHost.get(), "Carol", world));
            }
            List<String> sent = new ArrayList<>();
            String adasPeerId;
            try (LabChat ada = start(lab, world.adasHome().hosts().getFirst(), "Ada", world);
                 LabChat bo = start(lab, world.bosHome().hosts().getFirst(), "Bo", world)) {
                adasPeerId = ada.peerId();
                if (mailbox.isPresent()) {
                    pair(ada, mailbox.get());
                    pair(bo, mailbox.get());
                }
                LabChat.befriend(ada, bo);
                if (carol.isPresent()) {
                    LabChat.befriend(ada, carol.get());
                    LabChat.befriend(bo, carol.get());
                } else {
                    awaitMailboxOf(ada, bo);
                    awaitMailboxOf(bo, ada);
                }
                assertThat(bo.quit()).as("Bo left").isTrue();

                int sentBefore = ada.events("sent").size();
                for (int i = 0; i < MESSAGES; i++) {
                    ada.send("/msg Bo " + WHILE_AWAY + i);
                }
                ada.await("sent", event -> ada.events("sent").size() >= sentBefore + MESSAGES);
                ada.events("sent").stream().skip(sentBefore).forEach(event -> sent.add(event.path("id").asText()));
                assertThat(sent).hasSize(MESSAGES);
                Set<String> held = new HashSet<>();
                ada.await(carol.isPresent() ? "with-carrier" : "in-mailbox", event -> {
                    event.path("ids").forEach(id -> held.add(id.asText()));
                    return held.containsAll(sent);
                }, LONG_WAIT);
                assertThat(ada.quit()).as("Ada left").isTrue();
            }

            try (LabChat bo = start(lab, world.bosHome().hosts().getFirst(), "Bo", world)) {
                bo.awaitReceivedInOrder(WHILE_AWAY, MESSAGES, LONG_WAIT);
                // Taken (his receipts queued by then), then his receipts held for Ada; nothing on screen shows
                // either, so the test reads the stores, read-only, beside the running processes.
                if (carol.isPresent()) {
                    awaitStore(profiles.resolve("Carol"), "SELECT count(*) = 0 FROM carried WHERE recipient = ?",
                            bo.peerId(), "Carol handed Bo all she kept for him");
                } else {
                    bo.await("mailbox", event -> event.path("fetched").asInt() >= MESSAGES, LONG_WAIT);
                }
                awaitStore(profiles.resolve("Bo"), "SELECT count(*) > 0 AND count(*) = count(held_by) FROM outbox"
                        + " WHERE recipient = ?", adasPeerId, "Bo's receipts for Ada held by a mailbox or Carol");
                assertThat(bo.quit()).as("Bo left").isTrue();
            }

            try (LabChat ada = start(lab, world.adasHome().hosts().getFirst(), "Ada", world)) {
                Set<String> delivered = new HashSet<>();
                ada.await("delivered", event -> {
                    delivered.add(event.path("id").asText());
                    return delivered.containsAll(sent);
                }, LONG_WAIT);
            }
        } finally {
            carol.ifPresent(LabChat::close);
        }
    }

    private LabChat start(NetworkLab lab, LabHost host, String name, World world) throws Exception {
        return LabChat.start(lab, host, profiles.resolve(name), name, world.online().toArray(String[]::new));
    }

    private static void pair(LabChat owner, LabMailbox mailbox) {
        owner.send("/mailbox pair " + mailbox.pairingCode().toText());
        owner.await("mailbox", event -> event.path("connected").asBoolean());
    }

    /** Waits until {@code sender} holds a deposit capability for {@code owner}'s mailbox. */
    private static void awaitMailboxOf(LabChat sender, LabChat owner) {
        sender.await("contact-mailbox", event -> event.path("peerId").asText().equals(owner.peerId())
                && event.path("hasMailbox").asBoolean());
    }

    /** Waits until {@code query}, given {@code peerId}, is true in the store of the profile's running Parley. */
    private static void awaitStore(Path profile, String query, String peerId, String what) throws Exception {
        String url = "jdbc:sqlite:file:" + profile.resolve(EngineConfig.STORE_FILE) + "?mode=ro";
        long deadline = System.nanoTime() + LONG_WAIT.toNanos();
        try (Connection store = DriverManager.getConnection(url);
             PreparedStatement done = store.prepareStatement(query)) {
            done.setString(1, peerId);
            while (true) {
                try (ResultSet answer = done.executeQuery()) {
                    if (answer.next() && answer.getBoolean(1)) {
                        return;
                    }
                } catch (SQLException busy) {
                    // the running Parley was writing; ask again
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not within " + LONG_WAIT + ": " + what);
                }
                Thread.sleep(Duration.ofMillis(200));
            }
        }
    }
}
