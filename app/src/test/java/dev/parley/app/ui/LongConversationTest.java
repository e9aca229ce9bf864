package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.store.MessageState;
import dev.parley.store.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.swing.JScrollBar;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

/** A conversation of 100,000 messages opens on its newest page and pages older ones in as the user scrolls up. */
class LongConversationTest extends WindowTest {
    static final int MESSAGES = 100_000;

    @Test
    void aHundredThousandMessagesOpenAtTheNewestAndScrollingUpPagesOlderOnesInPlace() throws Exception {
        TestPeer alice = TestPeer.start(temp, "Alice");
        TestPeer bob = TestPeer.start(temp, "Bob");
        try {
            TestPeer.befriend(alice, bob);
            alice.stopEngine();
            alice.insertHistory(longHistory(alice, bob, MESSAGES));
            alice.startEngine();

            FrameFixture window = openWindow(alice.engine(), false);
            await("Bob listed", () -> main(window).conversationList().model().getSize() == 1);
            window.list("conversations").clickItem(0);
            ConversationPanel open = main(window).conversationPanel();
            await("the newest message painted", () -> open.timeline().nanosToFirstPaint() > 0
                    && open.timeline().newest().map(ChatMessage::text).orElse("").equals(text(MESSAGES - 1)));
            assertThat(onEdt(() -> open.timeline().messageCount())).isLessThanOrEqualTo(ConversationPanel.MAX_ROWS);

            for (int page = 0; page < 8; page++) {
                MessageRow top = onEdt(() -> open.timeline().rows().getFirst());
                int topBefore = onEdt(() -> scrollToTop(open, top));
                await("an older page above " + top.message().text(), () ->
                        !open.timeline().rows().getFirst().equals(top));
                int topAfter = onEdt(() -> bubbleInViewport(open, top));
                assertThat(topAfter).as("the message that was on top stays where it was").isEqualTo(topBefore);
                assertThat(onEdt(() -> open.timeline().messageCount()))
                        .isLessThanOrEqualTo(ConversationPanel.MAX_ROWS);
            }
            int oldestShown = onEdt(() -> number(open.timeline().oldest().orElseThrow()));
            assertThat(oldestShown).isLessThan(MESSAGES - ConversationPanel.MAX_ROWS);
            assertThat(onEdt(() -> open.timeline().newest().map(ChatMessage::text).orElse("")))
                    .as("far-away newest pages were dropped").isNotEqualTo(text(MESSAGES - 1));

            await("scrolling down again brings the newest back", () -> {
                JScrollBar bar = open.scrollPane().getVerticalScrollBar();
                bar.setValue(bar.getMaximum());
                return open.timeline().newest().map(ChatMessage::text).orElse("").equals(text(MESSAGES - 1));
            });
        } finally {
            alice.close();
            bob.close();
        }
    }

    /** Scrolls to the very top; returns where {@code top}'s bubble was in the viewport just after. */
    private static int scrollToTop(ConversationPanel open, MessageRow top) {
        open.scrollPane().getVerticalScrollBar().setValue(0);
        return bubbleInViewport(open, top);
    }

    /** How far below the top of the viewport the bubble of {@code row} is (its day heading may come and go). */
    private static int bubbleInViewport(ConversationPanel open, MessageRow row) {
        return row.getY() + row.bubbleBounds().y - open.scrollPane().getViewport().getViewPosition().y;
    }

    static List<StoredMessage> longHistory(TestPeer alice, TestPeer bob, int count) {
        Instant start = Instant.now().minusSeconds(60L * count);
        List<StoredMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean ours = i % 3 == 0;
            messages.add(alice.message(bob, ours, text(i), start.plusSeconds(60L * i), 0,
                    MessageState.READ));
        }
        return messages;
    }

    static String text(int number) {
        return "message " + number + (number % 7 == 0 ? " — a longer one that wraps onto a second line when the"
                + " window is narrow enough, as real conversations have" : "");
    }

    private static int number(ChatMessage message) {
        return Integer.parseInt(message.text().split(" ")[1]);
    }
}
