package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmojiSequenceTest {
    /** The black flag, the tag characters spelling {@code letters}, and the cancel tag. */
    private static String tagFlag(String letters) {
        StringBuilder flag = new StringBuilder().appendCodePoint(0x1F3F4);
        letters.codePoints().forEach(letter -> flag.appendCodePoint(0xE0000 + letter));
        return flag.appendCodePoint(0xE007F).toString();
    }

    @Test
    void emojiOfEveryShapeAreOneEmoji() {
        assertThat(EmojiSequence.isOneEmoji("👍")).isTrue();
        assertThat(EmojiSequence.isOneEmoji("👍🏽")).as("a skin tone").isTrue();
        assertThat(EmojiSequence.isOneEmoji("❤️")).as("the presentation selector").isTrue();
        assertThat(EmojiSequence.isOneEmoji("👩‍👩‍👧")).as("a family joined by ZWJ").isTrue();
        assertThat(EmojiSequence.isOneEmoji("🇩🇪")).as("a flag").isTrue();
        assertThat(EmojiSequence.isOneEmoji("1️⃣")).as("a keycap").isTrue();
        assertThat(EmojiSequence.isOneEmoji(tagFlag("gbsct"))).as("Scotland's flag").isTrue();
    }

    @Test
    void wordsAndHiddenWordsAreNot() {
        assertThat(EmojiSequence.isOneEmoji("lol")).isFalse();
        assertThat(EmojiSequence.isOneEmoji("1")).as("a bare digit").isFalse();
        assertThat(EmojiSequence.isOneEmoji("👍👍")).as("two emoji").isFalse();
        assertThat(EmojiSequence.isOneEmoji("")).isFalse();
        assertThat(EmojiSequence.isOneEmoji(tagFlag("evilcom"))).as("invisible ASCII behind a black flag").isFalse();
        assertThat(EmojiSequence.isOneEmoji(tagFlag("gbsct").replace("\uDB40\uDC7F", "")))
                .as("a tag sequence without its cancel tag").isFalse();
    }
}
