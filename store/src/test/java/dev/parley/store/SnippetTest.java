package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnippetTest {
    private static final String O = Snippet.OPEN_MARK;
    private static final String C = Snippet.CLOSE_MARK;

    @Test
    void marksBecomeRangesOfThePlainText() {
        Snippet snippet = Snippet.fromMarked("…we " + O + "meet" + C + " at the " + O + "café" + C);
        assertThat(snippet.text()).isEqualTo("…we meet at the café");
        assertThat(snippet.highlights()).containsExactly(new Snippet.Highlight(4, 8), new Snippet.Highlight(16, 20));
    }

    @Test
    void aStrayCloseMarkIsDroppedAndTextWithoutMarksHasNoHighlights() {
        Snippet snippet = Snippet.fromMarked("a" + C + "b");
        assertThat(snippet).isEqualTo(new Snippet("ab", List.of()));
    }
}
