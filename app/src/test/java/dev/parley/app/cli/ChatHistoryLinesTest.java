package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ChatNotice;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How {@code /history} lists a conversation: a notice Parley wrote into it ("secure session renewed") is stored as a
 * line of ours, yet nobody wrote it: it shows as a notice, as in a room, never as "me:", with no number to act on.
 */
class ChatHistoryLinesTest {
    private final PeerId me = Identity.generate().peerId();
    private final PeerId ada = Identity.generate().peerId();
    private final MessageNumbers numbers = new MessageNumbers();

    @Test
    void aNoticeIsNeitherOursNorNumbered() {
        ChatMessage renewed = new ChatMessage(MessageId.random(), ada, true, "secure session renewed", 1,
                Instant.parse("2026-12-07T10:00:00Z"), MessageStatus.DELIVERED, MessageDetails.NONE,
                Optional.of(ChatNotice.SESSION_RENEWED));
        ChatMessage hello = new ChatMessage(MessageId.random(), ada, true, "hello", 2,
                Instant.parse("2026-12-07T10:01:00Z"), MessageStatus.DELIVERED);

        String noticeLine = ChatEvents.historyLine(numbers, me, renewed, "Ada");
        String helloLine = ChatEvents.historyLine(numbers, me, hello, "Ada");
        Map<String, Object> noticeEntry = ChatEvents.historyEntry(numbers, me, renewed);

        assertThat(noticeLine).matches("\\[\\d\\d:\\d\\d] \\* secure session renewed");
        assertThat(helloLine).as("the first message numbered, the notice took no number")
                .matches("#1 \\[\\d\\d:\\d\\d] me: hello \\(delivered\\)");
        assertThat(noticeEntry).containsEntry("notice", true).containsEntry("text", "secure session renewed")
                .doesNotContainKeys("number", "outgoing", "state");
        assertThat(ChatEvents.historyEntry(numbers, me, hello)).containsEntry("notice", false)
                .containsEntry("number", 1).containsEntry("outgoing", true);
    }
}
