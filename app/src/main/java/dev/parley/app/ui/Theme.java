package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import dev.parley.app.ui.emoji.EmojiLabelUI;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.swing.UIManager;

/** The look of the window: FlatLaf light or dark, or whichever the desktop prefers. */
enum Theme {
    LIGHT, DARK, SYSTEM;

    private static final String SWING_DEFAULT_LOOK = "swing.defaultlaf";

    static Optional<Theme> parse(String text) {
        return Arrays.stream(values()).filter(theme -> theme.name().equalsIgnoreCase(String.valueOf(text))).findFirst();
    }

    @Override
    public String toString() {
        return switch (this) {
            case LIGHT -> text("theme.light");
            case DARK -> text("theme.dark");
            case SYSTEM -> text("theme.system");
        };
    }

    /**
     * Whether this theme is dark here. For {@link #SYSTEM} this asks the desktop (GNOME's color-scheme through
     * {@code gsettings}, which may take a moment: call it off the EDT); without an answer it is light.
     */
    boolean dark() {
        return switch (this) {
            case LIGHT -> false;
            case DARK -> true;
            case SYSTEM -> systemPrefersDark();
        };
    }

    /**
     * Installs FlatLaf light or dark with Parley's rounder shapes and labels that draw colour emoji; on the EDT. Call
     * {@link FlatLaf#updateUI} after.
     */
    static void install(boolean dark) {
        String look = (dark ? FlatDarkLaf.class : FlatLightLaf.class).getName();
        // Swing sets up its default look (Metal, all its defaults) the first time UIManager is touched, unless told
        // which look to set up instead: told, the first start sets up FlatLaf only, once.
        System.setProperty(SWING_DEFAULT_LOOK, look);
        if (!UIManager.getLookAndFeel().getClass().getName().equals(look)) {
            if (dark) {
                FlatDarkLaf.setup();
            } else {
                FlatLightLaf.setup();
            }
        }
        EmojiLabelUI.installForAllLabels();
        UIManager.put("Component.arc", 10);
        UIManager.put("Button.arc", 10);
        UIManager.put("TextComponent.arc", 10);
        UIManager.put("ScrollBar.showButtons", false);
        UIManager.put("ScrollBar.thumbArc", 999);
        UIManager.put("ScrollBar.thumbInsets", new java.awt.Insets(2, 2, 2, 2));
        UIManager.put("ScrollBar.width", 10);
        UIManager.put("SplitPaneDivider.style", "plain");
    }

    private static boolean systemPrefersDark() {
        try {
            Process gsettings = new ProcessBuilder("gsettings", "get", "org.gnome.desktop.interface", "color-scheme")
                    .redirectErrorStream(true).start();
            try (InputStream out = gsettings.getInputStream()) {
                if (!gsettings.waitFor(2, TimeUnit.SECONDS)) {
                    gsettings.destroy();
                    return false;
                }
                String answer = new String(out.readAllBytes(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                return gsettings.exitValue() == 0 && answer.contains("dark");
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
