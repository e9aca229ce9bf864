package dev.parley.app.ui.i18n;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * Every sentence the desktop app shows, looked up by key in the {@code texts} bundles beside this class
 * ({@code texts.properties} is English, {@code texts_de.properties} German). The language is the JVM's default
 * locale, which follows the system's ({@code LANG}) unless the user picked one in Settings.
 *
 * <p>Every value is a {@link MessageFormat} pattern, with or without arguments, so a translator writes an
 * apostrophe the same way everywhere: doubled ({@code don''t}). {@code TextsBundleTest} fails on a key missing
 * from either language, on a key the code asks for that no bundle has, and on a single apostrophe.
 */
public final class Texts {
    static final String BUNDLE = "dev.parley.app.ui.i18n.texts";
    /**
     * English is the base bundle, with no texts_en of its own: without this, asking for English on a German system
     * falls back to the system's language first and answers in German (a menu's English name among them).
     */
    private static final ResourceBundle.Control NO_FALLBACK_TO_THE_SYSTEMS_LANGUAGE =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private Texts() {
    }

    /** The text for {@code key} in the current language, with {@code arguments} put in its {@code {0}}, {@code {1}}… */
    public static String text(String key, Object... arguments) {
        return text(Locale.getDefault(), key, arguments);
    }

    /** The text for {@code key} in {@code locale}'s language, for code handed its locale (as tests are). */
    public static String text(Locale locale, String key, Object... arguments) {
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(BUNDLE, locale, NO_FALLBACK_TO_THE_SYSTEMS_LANGUAGE).getString(key);
        } catch (MissingResourceException missing) {
            // A missing key must not take a window down with it; the bundle test is what catches it.
            return "⟦" + key + "⟧";
        }
        return new MessageFormat(pattern, locale).format(arguments);
    }
}
