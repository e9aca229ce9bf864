package dev.parley.app.ui.i18n;

import static dev.parley.app.ui.i18n.Texts.text;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The language the desktop app speaks: the system's, or one the user picked in Settings. It is set as the JVM's
 * default locale before the first window is built, so it applies from the next start on.
 */
public enum Language {
    SYSTEM(Optional.empty()),
    ENGLISH(Optional.of(Locale.ENGLISH)),
    GERMAN(Optional.of(Locale.GERMAN));

    private final Optional<Locale> locale;

    Language(Optional<Locale> locale) {
        this.locale = locale;
    }

    /** The language saved as {@code text} (its name, any case), if it is one. */
    public static Optional<Language> parse(String text) {
        return Arrays.stream(values()).filter(language -> language.name().equalsIgnoreCase(String.valueOf(text)))
                .findFirst();
    }

    /** Makes this language the one every text and date is shown in; the system's language leaves the JVM's. */
    public void apply() {
        locale.ifPresent(Locale::setDefault);
    }

    /** Each language by its own name, so that whoever cannot read the current one still finds theirs. */
    @Override
    public String toString() {
        return switch (this) {
            case SYSTEM -> text("language.system");
            case ENGLISH -> "English";
            case GERMAN -> "Deutsch";
        };
    }
}
