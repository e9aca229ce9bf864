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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of 1,000 messages from Ada to Bo, two {@code parley chat} processes on a lab LAN, broken in the middle:
 * Bo's process killed with SIGKILL and started again, or Bo's cable pulled for 10 s. Afterwards both histories
 * hold every message exactly once, in the order Ada wrote them, and Ada has every one marked delivered.
 */
class DeliveryFaultTest {
    private static final int BURST = 1_000;
    /** Bo has shown this many when the fault strikes: well into the burst, well before its end. */
    private static final int RECEIVED_BEFORE_FAULT = 150;
    private static final Duration DELIVERY = Duration.ofSeconds(90);

    @TempDir
    Path profiles;

    @Test
    void aReceiverKilledMidBurstGetsEveryMessageOnceAfterRestart() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> lan = lab.addLan(2);
            try (LabChat ada = LabChat.start(lab, lan.get(0), profiles.resolve("ada"), "Ada")) {
                try (LabChat bo = LabChat.start(lab, lan.get(1), profiles.resolve("bo"), "Bo")) {
                    befriend(ada, bo);
                    sendBurst(ada);
                    awaitMessages(bo, RECEIVED_BEFORE_FAULT);
                    bo.process().destroyForcibly();
                    bo.process().waitFor();
                    assertThat(bo.events("message")).as("Bo was killed mid-burst").hasSizeLessThan(BURST);
                }
                try (LabChat bo = LabChat.start(lab, lan.get(1), profiles.resolve("bo"), "Bo")) {
                    awaitAllDelivered(ada);
                    assertThat(bo.quit()).isTrue();
                }
                assertThat(ada.quit()).isTrue();
            }
        }
        assertHistoriesComplete();
    }

    @Test
    void aCableCutForTenSecondsMidBurstLosesNothing() throws Exception {
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> lan = lab.addLan(2);
            try (LabChat ada = LabChat.start(lab, lan.get(0), profiles.resolve("ada"), "Ada");
                    LabChat bo = LabChat.start(lab, lan.get(1), profiles.resolve("bo"), "Bo")) {
                befriend(ada, bo);
                sendBurst(ada);
                awaitMessages(bo, RECEIVED_BEFORE_FAULT);
                lab.unplug(lan.get(1));
                Thread.sleep(10_000);
                lab.plug(lan.get(1));
                awaitAllDelivered(ada);
                assertThat(bo.events("message")).as("Bo shows each message once").hasSize(BURST);
                assertThat(ada.quit()).isTrue();
                assertThat(bo.quit()).isTrue();
            }
        }
        assertHistoriesComplete();
    }

    /** Both find each other on the LAN and add each other, so Ada's messages reach Bo as messages. */
    private static void befriend(LabChat ada, LabChat bo) {
        ada.awaitNearby(bo);
        bo.awaitNearby(ada);
        ada.send("/accept " + bo.peerId());
        bo.send("/accept " + ada.peerId());
        ada.await("contact", line -> line.path("peerId").asText().equals(bo.peerId()));
        bo.await("contact", line -> line.path("peerId").asText().equals(ada.peerId()));
    }

    private static void sendBurst(LabChat ada) {
        for (int i = 0; i < BURST; i++) {
            ada.send("/msg Bo " + text(i));
        }
    }

    private static String text(int i) {
        return "burst message %04d".formatted(i);
    }

    private static void awaitMessages(LabChat bo, int count) {
        bo.await("message", line -> line.path("text").asText().equals(text(count - 1)));
    }

    private static void awaitAllDelivered(LabChat ada) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        Set<String> delivered = new HashSet<>();
        while (System.nanoTime() < deadline) {
            delivered.clear();
            ada.events("delivered").forEach(line -> delivered.add(line.path("id").asText()));
            if (delivered.size() == BURST) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Ada saw " + delivered.size() + " of " + BURST + " messages delivered within "
                + DELIVERY.toSeconds() + " s; sent: " + ada.events("sent").size());
    }

    /** Reads both profiles' history files, the chats having ended. */
    private void assertHistoriesComplete() {
        List<String> expected = IntStream.range(0, BURST).mapToObj(DeliveryFaultTest::text).toList();
        List<StoredMessage> sent = history("ada", "bo");
        assertThat(sent).extracting(StoredMessage::body).containsExactlyElementsOf(expected);
        assertThat(sent).allSatisfy(message -> {
            assertThat(message.direction()).isEqualTo(Direction.OUTGOING);
            assertThat(message.state()).isIn(MessageState.DELIVERED, MessageState.READ);
        });
        List<StoredMessage> received = history("bo", "ada");
        assertThat(received).extracting(StoredMessage::body).containsExactlyElementsOf(expected);
        assertThat(received).extracting(StoredMessage::id)
                .containsExactlyElementsOf(sent.stream().map(StoredMessage::id).toList());
    }

    /** The direct conversation of {@code profile} with {@code peer}'s profile, oldest first. */
    private List<StoredMessage> history(String profile, String peer) {
        String peerId = peerIdOf(peer);
        try (SqliteStore store = SqliteStore.open(profiles.resolve(profile).resolve(EngineConfig.STORE_FILE))) {
            Conversation chat = store.conversations().direct(peerId).orElseThrow(
                    () -> new AssertionError(profile + " has no conversation with " + peer));
            Page newest = store.messages().newest(chat.id(), BURST);
            assertThat(newest.next()).as("%s holds no message beyond the burst", profile).isEmpty();
            return newest.messages().reversed();
        }
    }

    private String peerIdOf(String profile) {
        try {
            return new Profile(profiles.resolve(profile)).storedPeerId().orElseThrow().toBase58();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
