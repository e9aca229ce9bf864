package dev.parley.app.ui.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.DateFormat;
import java.text.Format;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/**
 * A third review's attack where the English and German window touches input: every sentence is a
 * {@link MessageFormat} pattern, and what goes into it — a contact's or room's name, a message's text, a file name —
 * is the other side's choice. Such text must come out as it went in, in both languages: never read as a pattern
 * (its braces and apostrophes are not syntax), never cut or dropped.
 */
class TextsInputReviewTest {
    /** Braces, apostrophes, a format type, markup and a printf directive: whatever a pattern could take as its own. */
    private static final String HOSTILE = "Mallory {0} {1,number} '{2}' it''s <html><b>x</b> %s %n \\u0041";

    /**
     * Holds. For every key of both bundles, with the hostile text in every plain argument (a number where the
     * pattern formats one), the sentence contains the hostile text unchanged wherever the pattern takes a plain
     * argument, and no text is missing.
     */
    @Test
    void whatTheOtherSideWritesComesOutAsWrittenInEveryEnglishAndGermanSentence() {
        List<String> mangled = new ArrayList<>();
        for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN)) {
            ResourceBundle bundle = ResourceBundle.getBundle(Texts.BUNDLE, locale);
            for (String key : bundle.keySet()) {
                String pattern = bundle.getString(key);
                Format[] formats = new MessageFormat(pattern, locale).getFormatsByArgumentIndex();
                Object[] arguments = new Object[formats.length];
                boolean takesText = false;
                for (int i = 0; i < formats.length; i++) {
                    if (formats[i] instanceof NumberFormat) {
                        arguments[i] = 1_234L;
                    } else if (formats[i] instanceof DateFormat) {
                        arguments[i] = new Date(0);
                    } else {
                        arguments[i] = HOSTILE;
                        takesText |= pattern.contains("{" + i + "}");
                    }
                }
                String sentence = Texts.text(locale, key, arguments);
                if (sentence.startsWith("⟦") || takesText && !sentence.contains(HOSTILE)) {
                    mangled.add(locale + " " + key + ": " + sentence);
                }
            }
        }
        assertThat(mangled).as("sentences that did not carry the other side's text as written").isEmpty();
    }
}
