package dev.parley.app.ui.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The language picked in Settings, as saved and as applied at the start. */
class LanguageTest {
    private final Locale before = Locale.getDefault();

    @AfterEach
    void restoreTheLanguage() {
        Locale.setDefault(before);
    }

    @Test
    void germanMakesTheTextsAndDatesGermanAndSystemLeavesTheSystemsLanguage() {
        Language.SYSTEM.apply();
        assertThat(Locale.getDefault()).isEqualTo(before);
        assertThat(Texts.text("settings.title")).isEqualTo("Settings");

        Language.GERMAN.apply();
        assertThat(Locale.getDefault().getLanguage()).isEqualTo("de");
        assertThat(Texts.text("settings.title")).isEqualTo("Einstellungen");
        assertThat(Texts.text("search.matches", 2)).isEqualTo("2 Treffer");
    }

    @Test
    void aSavedNameReadsBackAndAnythingElseIsNoLanguage() {
        assertThat(Language.parse("GERMAN")).isEqualTo(Optional.of(Language.GERMAN));
        assertThat(Language.parse("english")).isEqualTo(Optional.of(Language.ENGLISH));
        assertThat(Language.parse("klingon")).isEmpty();
        assertThat(Language.parse(null)).isEmpty();
        assertThat(Language.GERMAN).hasToString("Deutsch");
    }
}
