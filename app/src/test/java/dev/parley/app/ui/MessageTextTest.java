package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a long message shows collapsed: its start, cut where a reader expects, never inside a character. */
class MessageTextTest {
    @Test
    void aMessageUpToTheLimitShowsWhole() {
        String text = "a".repeat(MessageText.COLLAPSED_CHARACTERS);
        assertThat(MessageText.startOf(text)).isSameAs(text);
        String lines = "line\n".repeat(MessageText.COLLAPSED_LINES - 1) + "last line";
        assertThat(MessageText.startOf(lines)).isSameAs(lines);
    }

    @Test
    void aMessageOfManyShortLinesShowsItsFirstThirtyLines() {
        String text = "line\n".repeat(100);
        String start = MessageText.startOf(text);
        assertThat(start).isEqualTo("line\n".repeat(MessageText.COLLAPSED_LINES - 1) + "line…");
    }

    @Test
    void aLongParagraphIsCutAfterAWordNearTheLimit() {
        String text = "words and more words ".repeat(500);
        String start = MessageText.startOf(text);
        assertThat(start).endsWith("…").hasSizeLessThanOrEqualTo(MessageText.COLLAPSED_CHARACTERS + 1);
        String shown = start.substring(0, start.length() - 1);
        assertThat(text).startsWith(shown);
        assertThat(text.charAt(shown.length())).as("the cut is at the end of a word").isEqualTo(' ');
        assertThat(shown.length()).isGreaterThan(MessageText.COLLAPSED_CHARACTERS - 40);
    }

    @Test
    void anEmojiAtTheLimitIsNotCutInHalf() {
        String text = "a".repeat(MessageText.COLLAPSED_CHARACTERS - 1) + "😀" + "b".repeat(100);
        assertThat(MessageText.startOf(text)).isEqualTo("a".repeat(MessageText.COLLAPSED_CHARACTERS - 1) + "…");
    }
}
