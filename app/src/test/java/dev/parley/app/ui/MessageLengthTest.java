package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageLengthTest {
    @Test
    void aShortMessageShowsNoCountAndFits() {
        MessageLength length = MessageLength.of("hello");
        assertThat(length.nearLimit()).isFalse();
        assertThat(length.tooLong()).isFalse();
        assertThat(length.charactersOver()).isZero();
    }

    @Test
    void plainTextNearTheLimitCountsTheCharactersLeftExactly() {
        MessageLength length = MessageLength.of("a".repeat(MessageLength.MAX_BYTES - 1_000));
        assertThat(length.nearLimit()).isTrue();
        assertThat(length.counter()).isEqualTo("1,000 characters left");
        assertThat(MessageLength.of("a".repeat(MessageLength.MAX_BYTES * 89 / 100)).nearLimit()).isFalse();
    }

    @Test
    void aHundredThousandLettersAreTooLongByWhatIsBeyondTheLimitInCharacters() {
        MessageLength length = MessageLength.of("x".repeat(100_000));
        assertThat(length.tooLong()).isTrue();
        assertThat(length.charactersOver()).isEqualTo(100_000 - MessageLength.MAX_BYTES);
        assertThat(length.counter()).isEqualTo("34,464 characters too many");
        assertThat(length.refusal()).isEqualTo("This message is 34,464 characters too long to send."
                + " Shorten it or send it in parts.");
    }

    @Test
    void emojiTakeFourBytesEachSoFewerOfThemAreOverThanTheBytesBeyond() {
        String text = "a".repeat(MessageLength.MAX_BYTES - 2) + "😀😀";
        MessageLength length = MessageLength.of(text);
        assertThat(length.bytes()).isEqualTo(MessageLength.MAX_BYTES + 6);
        assertThat(length.charactersOver()).isEqualTo(2);
        String fitting = text.substring(0, text.length() - 4);
        assertThat(fitting.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(MessageLength.MAX_BYTES);
    }

    @Test
    void textWithAccentsSaysAboutHowManyAreLeft() {
        MessageLength length = MessageLength.of("é".repeat(MessageLength.MAX_BYTES / 2 - 100));
        assertThat(length.counter()).isEqualTo("about 100 characters left");
    }

    @Test
    void spacesAroundTheMessageAreNotCountedBecauseTheyAreNotSent() {
        assertThat(MessageLength.of("  " + "a".repeat(MessageLength.MAX_BYTES) + "\n\n").tooLong()).isFalse();
    }
}
