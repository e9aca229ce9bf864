package dev.parley.app.ui.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No words in the desktop app's code where Swing shows them: a string literal with letters in it, handed to a
 * label, button, title, tooltip, accessible name, placeholder, dialog or notice, is a text the bundles do not have.
 */
class UserVisibleLiteralsTest {
    /** The calls whose first text argument the user sees or hears. */
    private static final Pattern SHOWN = Pattern.compile("(?:\\.setText|new JLabel|new JButton|\\.setTitle"
            + "|\\.setToolTipText|new JMenu|new JMenuItem|new JCheckBox|new JRadioButton|\\.setAccessibleName"
            + "|\\.setAccessibleDescription|\\.addTab|\\.setDialogTitle|\\.setString|PLACEHOLDER_TEXT\\s*,"
            + "|Forms\\.(?:title|note|showError|showWrapped|searchBox)|Widgets\\.(?:label|button|secondary"
            + "|explanation)|\\.showNotice|\\.showText|\\bfail"
            + "|super\\((?:owner|parent|\\(java\\.awt\\.Frame\\) null)\\s*,"
            + "|(?:showMessageDialog|showConfirmDialog|showInputDialog)\\([^,;\"]*,)"
            + "\\s*\\(?\\s*\"([^\"]*)\"");
    private static final Pattern TAGS = Pattern.compile("<[^>]*(?:>|$)");
    /** Files (and ui/actions/) whose texts are being translated apart: they come off this list as that lands. */
    private static final Set<String> NOT_YET_TRANSLATED = Set.of();
    /** Literals that are the same in every language. */
    private static final Set<String> SAME_IN_EVERY_LANGUAGE = Set.of("parley:…");

    @Test
    void noShownStringLiteralLeftInTheUi() {
        List<String> found = new ArrayList<>();
        TextsBundleTest.forEachSource((file, source) -> {
            if (file.toString().contains("/i18n/")) {
                return;
            }
            if (notYetTranslated(file)) {
                return;
            }
            shownLiterals(source).forEach(literal -> found.add(file.getFileName() + ": \"" + literal + "\""));
        });
        assertThat(found).as("string literals shown to the user: move them into the texts bundles").isEmpty();
    }

    @Test
    void theScanFindsWhatItLooksFor() {
        assertThat(shownLiterals("label.setText(\"Hello\"); new JButton(\"+\"); button.setText(text(\"a.b\"));"))
                .containsExactly("Hello");
        assertThat(shownLiterals("super(owner, \"Settings\", true); x.setAccessibleName(\n \"Invite code\");"))
                .containsExactly("Settings", "Invite code");
        assertThat(shownLiterals("JOptionPane.showMessageDialog(this, \"Failed\", title, WARNING);"))
                .containsExactly("Failed");
        assertThat(shownLiterals("new JLabel(\"<html><div style='width:\" + w + \"px'>\")")).isEmpty();
        assertThat(shownLiterals("field.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, \"Optional\");"))
                .containsExactly("Optional");
    }

    private static boolean notYetTranslated(Path file) {
        return NOT_YET_TRANSLATED.contains(file.getFileName().toString()) || file.toString().contains("/actions/");
    }

    private static List<String> shownLiterals(String source) {
        List<String> shown = new ArrayList<>();
        Matcher call = SHOWN.matcher(source);
        while (call.find()) {
            String literal = call.group(1);
            String words = TAGS.matcher(literal).replaceAll("");
            if (words.codePoints().anyMatch(Character::isLetter) && !SAME_IN_EVERY_LANGUAGE.contains(literal)) {
                shown.add(literal);
            }
        }
        return shown;
    }
}
