package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.MessageId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A contact that floods is slowed to {@link InboundRate#DEFAULT} and loses nothing; another contact chatting at the
 * same time is not slowed at all (app/README.md, "Requests and rates"). Real engines on loopback.
 */
class ContactRateTest extends TwoContactsTest {
    @Test
    void aContactFloodingAtLineRateIsPacedLosesNothingAndAnotherContactChatsUntouched() throws Exception {
        InboundRate rate = InboundRate.DEFAULT;
        int beyondBurst = 500;
        int count = (int) rate.messageBurst() + beyondBurst;
        try (TestEngine carol = TestEngine.start(temp, "Carol")) {
            TestEngine.befriend(carol, bob);
            long started = System.nanoTime();
            List<CompletableFuture<MessageId>> sent = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sent.add(carol.engine.chat().sendAsync(bob.peerId(), "flood " + i));
            }
            List<MessageId> ids = sent.stream().map(CompletableFuture::join).toList();
            bob.events.await(EngineEvent.MessageReceived.class,
                    received -> received.message().text().equals("flood " + (count - beyondBurst / 2)));

            // Carol's burst is spent and her messages are paced (the last 250 take 5 s): Alice, typing, is not held
            // up behind them.
            for (int i = 0; i < 3; i++) {
                alice.engine.chat().send(bob.peerId(), "Alice while Carol floods " + i);
                String text = "Alice while Carol floods " + i;
                bob.events.await(EngineEvent.MessageReceived.class, received -> received.message().text().equals(text));
            }
            long carolsBeforeAlicesLast = fromCarol(carol).size();

            carol.events.await(EngineEvent.Delivered.class, count, Duration.ofMinutes(1));
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(carolsBeforeAlicesLast).as("Alice's messages came while Carol's were still paced")
                    .isLessThan(count);
            assertThat(seconds).as("%d messages beyond a burst of %.0f at %.0f a second", beyondBurst,
                    rate.messageBurst(), rate.messagesPerSecond()).isGreaterThan(0.9 * beyondBurst / rate.messagesPerSecond());
            List<String> flood = IntStream.range(0, count).mapToObj(i -> "flood " + i).toList();
            assertThat(fromCarol(carol)).as("every one, once").containsExactlyInAnyOrderElementsOf(flood);
            assertThat(bob.engine.history().newest(carol.peerId(), 1_000).messages()).extracting(ChatMessage::text)
                    .as("in the order sent").containsExactlyElementsOf(flood.subList(count - 1_000, count));
            assertThat(carol.events.all(EngineEvent.Delivered.class)).extracting(EngineEvent.Delivered::id)
                    .containsExactlyInAnyOrderElementsOf(ids);
            assertThat(bob.engine.history().newest(alice.peerId(), 10).messages()).extracting(ChatMessage::text)
                    .containsExactly("Alice while Carol floods 0", "Alice while Carol floods 1",
                            "Alice while Carol floods 2");
        }
    }

    private List<String> fromCarol(TestEngine carol) {
        return bob.events.all(EngineEvent.MessageReceived.class).stream()
                .filter(received -> received.message().peer().equals(carol.peerId()))
                .map(received -> received.message().text()).toList();
    }
}
