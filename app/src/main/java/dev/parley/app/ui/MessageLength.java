package dev.parley.app.ui;


import dev.parley.app.ui.i18n.Texts;
import dev.parley.store.StoreLimits;
import java.nio.charset.StandardCharsets;

/**
 * How long a message is against the longest one Parley keeps, said in characters. The store's limit is in UTF-8
 * bytes ({@link StoreLimits#MAX_BODY_BYTES}): a plain letter takes one, an accented letter two, an emoji four. So
 * "too long" counts the characters to take off the end for the rest to fit, and "left" is exact for plain text and
 * an estimate ("about") for other text, from the bytes its characters take on average.
 *
 * @param text  the text as it would be sent (stripped)
 * @param bytes its UTF-8 length
 */
record MessageLength(String text, int bytes) {
    static final int MAX_BYTES = StoreLimits.MAX_BODY_BYTES;
    /** The counter shows from this share of the limit on (in percent), so short messages show no numbers. */
    static final int COUNTER_FROM_PERCENT = 90;

    static MessageLength of(String text) {
        String sent = text.strip();
        return new MessageLength(sent, sent.getBytes(StandardCharsets.UTF_8).length);
    }

    boolean tooLong() {
        return bytes > MAX_BYTES;
    }

    /** Whether the count is worth showing: the text is near the limit or beyond it. */
    boolean nearLimit() {
        return bytes * 100L >= (long) MAX_BYTES * COUNTER_FROM_PERCENT;
    }

    /** How many characters to take off the end so that the rest fits; 0 when it fits. */
    int charactersOver() {
        int over = bytes - MAX_BYTES;
        int characters = 0;
        for (int end = text.length(); over > 0; characters++) {
            int codePoint = text.codePointBefore(end);
            over -= utf8Length(codePoint);
            end -= Character.charCount(codePoint);
        }
        return characters;
    }

    /** How many more characters of the kind typed so far fit. */
    int charactersLeft() {
        int left = Math.max(0, MAX_BYTES - bytes);
        int characters = text.codePointCount(0, text.length());
        return plain() || characters == 0 ? left : (int) ((long) left * characters / bytes);
    }

    /** The count beside the composer: "1,234 characters left" or "34,464 characters too many". */
    String counter() {
        if (tooLong()) {
            return Texts.text("length.tooMany", charactersOver());
        }
        return Texts.text(plain() ? "length.left" : "length.aboutLeft", charactersLeft());
    }

    /** Why the message cannot be sent, and what to do. */
    String refusal() {
        return Texts.text("length.refusal", charactersOver());
    }

    private boolean plain() {
        return bytes == text.length();
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
