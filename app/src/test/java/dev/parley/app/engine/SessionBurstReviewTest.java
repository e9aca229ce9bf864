package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.MessageId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A review by attack of 1:1 sending under sessions after the performance work: send() seals on the caller's thread,
 * the link hands an envelope over before its outbox entry is durable and writes it once it and all before it are, and
 * a burst's session record is encoded once per commit. Many threads on both sides send at once, so that seals, ratchet
 * steps and group commits interleave: every message must arrive once, each thread's in the order it sent them, with
 * no message key used twice (which the receiver would refuse, and a renewed session would show).
 */
class SessionBurstReviewTest {
    private static final UnaryOperator<EngineConfig> SESSIONS = config -> config.withCardFeatures(
            EnumSet.of(ContactCard.Feature.FORWARD_SECRET_SESSIONS, ContactCard.Feature.CHAINED_SENDER_KEYS));
    private static final int THREADS = 6;
    private static final int EACH = 50;

    @TempDir
    Path temp;

    @Test
    void concurrentSendersBothWaysLoseNothingReorderNothingAndNeverRenewTheSession() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice", SESSIONS);
                TestEngine bob = TestEngine.start(temp, "Bob", SESSIONS)) {
            TestEngine.befriend(alice, bob);
            alice.engine.chat().send(bob.peerId(), "hello");
            bob.events.await(EngineEvent.MessageReceived.class, 1);
            bob.engine.chat().send(alice.peerId(), "hello back");
            alice.events.await(EngineEvent.MessageReceived.class, 1);

            Map<MessageId, String> sent = new ConcurrentHashMap<>();
            ExecutorService senders = Executors.newFixedThreadPool(2 * THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    for (TestEngine[] pair : List.of(new TestEngine[] {alice, bob}, new TestEngine[] {bob, alice})) {
                        String thread = pair[0].name + t;
                        running.add(senders.submit(() -> {
                            go.await();
                            for (int i = 0; i < EACH; i++) {
                                String text = thread + " " + i;
                                sent.put(pair[0].engine.chat().send(pair[1].peerId(), text), text);
                            }
                            return null;
                        }));
                    }
                }
                go.countDown();
                for (Future<?> sender : running) {
                    sender.get();
                }
            } finally {
                senders.shutdown();
            }

            Duration wait = Duration.ofSeconds(90);
            List<EngineEvent.MessageReceived> atBob = bob.events.await(EngineEvent.MessageReceived.class,
                    1 + THREADS * EACH, wait);
            List<EngineEvent.MessageReceived> atAlice = alice.events.await(EngineEvent.MessageReceived.class,
                    1 + THREADS * EACH, wait);
            alice.awaitOutboxEmptyFor(bob.peerId());
            bob.awaitOutboxEmptyFor(alice.peerId());

            for (List<EngineEvent.MessageReceived> received : List.of(atBob, atAlice)) {
                List<String> texts = received.stream().skip(1).map(event -> event.message().text()).toList();
                assertThat(texts).as("each message once").doesNotHaveDuplicates().hasSize(THREADS * EACH);
                Map<String, Integer> lastOfThread = new HashMap<>();
                for (String text : texts) {
                    String[] parts = text.split(" ");
                    int number = Integer.parseInt(parts[1]);
                    assertThat(number).as("the message after " + parts[0] + "'s last one")
                            .isEqualTo(lastOfThread.getOrDefault(parts[0], -1) + 1);
                    lastOfThread.put(parts[0], number);
                }
                received.stream().skip(1).forEach(event -> assertThat(event.message().text())
                        .isEqualTo(sent.get(event.message().id())));
            }
            assertThat(alice.events.all(EngineEvent.MessageReceived.class)).hasSize(1 + THREADS * EACH);
            assertThat(bob.events.all(EngineEvent.MessageReceived.class)).hasSize(1 + THREADS * EACH);
            assertThat(alice.events.all(EngineEvent.SessionRenewed.class)).isEmpty();
            assertThat(bob.events.all(EngineEvent.SessionRenewed.class)).isEmpty();
            assertThat(alice.engine.sessions().current(bob.peerId())).isPresent()
                    .isEqualTo(bob.engine.sessions().current(alice.peerId()));
        }
    }
}
