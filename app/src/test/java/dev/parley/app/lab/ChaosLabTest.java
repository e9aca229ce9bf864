package dev.parley.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.EngineConfig;
import dev.parley.app.profile.Profile;
import dev.parley.store.Conversation;
import dev.parley.store.Direction;
import dev.parley.store.MessageState;
import dev.parley.store.Page;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoredMessage;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code parley chat} processes on a lab LAN that drops packets at random, chatting pairwise for a fixed
 * number of rounds while one of them, in turn, has its cable pulled or is killed with SIGKILL and started again.
 * Afterwards every history holds every message written to it exactly once, in the order it was written, and every
 * sender has each one marked delivered.
 *
 * <p>Loss is iptables' {@code statistic} match on every host, both ways: the kernel these tests run on has no
 * {@code netem} queueing discipline, so there is no added delay or packet reordering beyond what loss itself
 * brings (TCP retransmits, and segments after a lost one arrive ahead of it).
 */
class ChaosLabTest {
    private static final List<String> NAMES = List.of("Ada", "Bo", "Cy");
    private static final int ROUNDS = 8;
    /** Each chat writes this many messages to each of the other two in every round. */
    private static final int PER_PEER_PER_ROUND = 15;
    private static final int PER_CONVERSATION = 2 * ROUNDS * PER_PEER_PER_ROUND;
    /** Each host drops this share of the packets it sends and of those it receives. */
    private static final String LOSS = "0.05";
    private static final Duration CABLE_PULLED = Duration.ofSeconds(4);
    private static final Duration DELIVERY = Duration.ofSeconds(180);

    @TempDir
    Path profiles;

    @Test
    void threeChatsUnderLossCableFlapsAndKillsKeepEveryMessageOnceAndInOrder() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> hosts = lab.addLan(NAMES.size());
            List<LabChat> chats = new ArrayList<>();
            try {
                for (int i = 0; i < NAMES.size(); i++) {
                    chats.add(start(lab, hosts, i));
                }
                befriendAll(chats);
                for (LabHost host : hosts) {
                    dropPackets(lab, host);
                }
                int[] writtenSinceStart = new int[NAMES.size()];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < chats.size(); i++) {
                        writtenSinceStart[i] += write(chats.get(i), round);
                    }
                    for (int i = 0; i < chats.size(); i++) {
                        awaitStored(chats.get(i), writtenSinceStart[i]);
                    }
                    // The fault strikes while the round's messages are still on their way.
                    int victim = round % NAMES.size();
                    if (round % 2 == 0) {
                        LabChat killed = chats.get(victim);
                        killed.process().destroyForcibly();
                        killed.process().waitFor();
                        chats.set(victim, start(lab, hosts, victim));
                        writtenSinceStart[victim] = 0;
                    } else {
                        lab.unplug(hosts.get(victim));
                        Thread.sleep(CABLE_PULLED.toMillis());
                        lab.plug(hosts.get(victim));
                    }
                }
                awaitEverythingDelivered();
                for (LabChat chat : chats) {
                    assertThat(chat.quit()).as("%s ends when its input ends", chat.name()).isTrue();
                }
            } finally {
                chats.forEach(LabChat::close);
            }
        }
        for (int from = 0; from < NAMES.size(); from++) {
            for (int to = from + 1; to < NAMES.size(); to++) {
                assertConversationComplete(from, to);
            }
        }
    }

    private LabChat start(NetworkLab lab, List<LabHost> hosts, int index) throws IOException {
        return LabChat.start(lab, hosts.get(index), profile(index), NAMES.get(index));
    }

    /** Everyone finds everyone by mDNS, before any packet is dropped, and adds them. */
    private static void befriendAll(List<LabChat> chats) {
        for (LabChat chat : chats) {
            for (LabChat other : chats) {
                if (other != chat) {
                    chat.awaitNearby(other);
                    chat.send("/accept " + other.peerId());
                }
            }
        }
        for (LabChat chat : chats) {
            for (LabChat other : chats) {
                if (other != chat) {
                    chat.await("contact", line -> line.path("peerId").asText().equals(other.peerId()));
                }
            }
        }
    }

    private static void dropPackets(NetworkLab lab, LabHost host) throws IOException {
        for (String chain : List.of("INPUT", "OUTPUT")) {
            lab.run(host, "iptables", "-A", chain, "-m", "statistic", "--mode", "random", "--probability", LOSS,
                    "-j", "DROP");
        }
    }

    /** Writes the chat's messages of one round and returns how many. */
    private static int write(LabChat chat, int round) {
        int written = 0;
        for (int i = 0; i < PER_PEER_PER_ROUND; i++) {
            for (String to : NAMES) {
                if (!to.equals(chat.name())) {
                    chat.send("/msg " + to + " " + text(chat.name(), to, round, i));
                    written++;
                }
            }
        }
        return written;
    }

    /**
     * Waits until the chat has stored (and said "sent" for) every message written since it started: from then on,
     * nothing it wrote may be lost.
     */
    private static void awaitStored(LabChat chat, int written) throws InterruptedException {
        long deadline = System.nanoTime() + LabChat.WAIT.toNanos();
        while (chat.events("sent").size() < written) {
            assertThat(chat.events("error")).as("%s's errors", chat.name()).isEmpty();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(chat.name() + " stored " + chat.events("sent").size() + " of " + written
                        + " messages within " + LabChat.WAIT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }

    private static String text(String from, String to, int round, int i) {
        return "round %d %s to %s #%02d".formatted(round, from, to, i);
    }

    /**
     * Waits until every sender's history has all it wrote marked delivered. Across kills, the events of one
     * process do not tell it all, so this reads the history files, which SQLite lets a second process read while
     * the chat writes.
     */
    private void awaitEverythingDelivered() throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        String missing;
        do {
            missing = undelivered();
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not delivered within " + DELIVERY.toSeconds() + " s: " + missing);
    }

    private String undelivered() {
        StringBuilder missing = new StringBuilder();
        for (int from = 0; from < NAMES.size(); from++) {
            for (int to = 0; to < NAMES.size(); to++) {
                if (from == to) {
                    continue;
                }
                long delivered = conversation(from, to).orElse(List.of()).stream()
                        .filter(message -> message.direction() == Direction.OUTGOING)
                        .filter(message -> message.state() == MessageState.DELIVERED
                                || message.state() == MessageState.READ)
                        .count();
                if (delivered < PER_CONVERSATION / 2) {
                    missing.append(NAMES.get(from)).append(" to ").append(NAMES.get(to)).append(": ")
                            .append(delivered).append(" of ").append(PER_CONVERSATION / 2).append("; ");
                }
            }
        }
        return missing.toString();
    }

    /** Both sides of one conversation hold the same messages, each once, each sender's in the order written. */
    private void assertConversationComplete(int one, int other) {
        List<StoredMessage> atOne = conversation(one, other).orElseThrow();
        List<StoredMessage> atOther = conversation(other, one).orElseThrow();
        String pair = NAMES.get(one) + " and " + NAMES.get(other);
        assertThat(atOne).as("%s's conversation with %s", NAMES.get(one), NAMES.get(other))
                .hasSize(PER_CONVERSATION);
        assertThat(atOther).extracting(StoredMessage::id).as("both sides of %s, message by message", pair)
                .containsExactlyElementsOf(atOne.stream().map(StoredMessage::id).toList());
        for (int sender : List.of(one, other)) {
            int receiver = sender == one ? other : one;
            List<String> written = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < PER_PEER_PER_ROUND; i++) {
                    written.add(text(NAMES.get(sender), NAMES.get(receiver), round, i));
                }
            }
            List<StoredMessage> sentSide = sender == one ? atOne : atOther;
            List<StoredMessage> receivedSide = sender == one ? atOther : atOne;
            assertThat(sentSide.stream().filter(message -> message.direction() == Direction.OUTGOING)
                    .map(StoredMessage::body)).as("what %s wrote to %s", NAMES.get(sender), NAMES.get(receiver))
                    .containsExactlyElementsOf(written);
            assertThat(receivedSide.stream().filter(message -> message.direction() == Direction.INCOMING)
                    .map(StoredMessage::body)).as("what %s received from %s", NAMES.get(receiver), NAMES.get(sender))
                    .containsExactlyElementsOf(written);
        }
    }

    /** The direct conversation of one chat's profile with another's, oldest first; empty before the first. */
    private Optional<List<StoredMessage>> conversation(int profile, int peer) {
        try (SqliteStore store = SqliteStore.open(profile(profile).resolve(EngineConfig.STORE_FILE))) {
            Optional<Conversation> chat = store.conversations().direct(peerId(peer));
            if (chat.isEmpty()) {
                return Optional.empty();
            }
            Page newest = store.messages().newest(chat.get().id(), PER_CONVERSATION + 1);
            return Optional.of(newest.messages().reversed());
        }
    }

    private Path profile(int index) {
        return profiles.resolve(NAMES.get(index).toLowerCase());
    }

    private String peerId(int index) {
        try {
            return new Profile(profile(index)).storedPeerId().orElseThrow().toBase58();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
