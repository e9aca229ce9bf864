package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.event.KeyEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The menus' Alt keys are each language's own: K for "Kontakte" in German, C for "Contacts" in English; and a menu's
 * name, by which scripts and tests find it, is English in a German window too.
 */
class MenuMnemonicsWindowTest extends WindowTest {
    private final Locale before = Locale.getDefault();
    TestPeer alice;

    @BeforeEach
    void alice() throws Exception {
        alice = TestPeer.start(temp, "Alice");
    }

    @AfterEach
    void stopAndRestoreTheLanguage() {
        Locale.setDefault(before);
        alice.close();
    }

    @Test
    void germanMenusHaveGermanAltKeys() throws Exception {
        Locale.setDefault(Locale.GERMAN);
        FrameFixture window = openWindow(alice.engine(), false);
        assertThat(mnemonics(window)).containsExactly(KeyEvent.VK_P, KeyEvent.VK_K, KeyEvent.VK_R, KeyEvent.VK_G,
                KeyEvent.VK_S);
        assertThat(onEdt(() -> menu(window, "Contacts").getText())).isEqualTo("Kontakte");
    }

    @Test
    void englishMenusHaveEnglishAltKeys() throws Exception {
        Locale.setDefault(Locale.ENGLISH);
        FrameFixture window = openWindow(alice.engine(), false);
        assertThat(mnemonics(window)).containsExactly(KeyEvent.VK_P, KeyEvent.VK_C, KeyEvent.VK_R, KeyEvent.VK_G,
                KeyEvent.VK_S);
    }

    private static List<Integer> mnemonics(FrameFixture window) {
        return onEdt(() -> {
            JMenuBar bar = main(window).getJMenuBar();
            return Arrays.stream(bar.getSubElements()).map(element -> ((JMenu) element).getMnemonic()).toList();
        });
    }

    private static JMenu menu(FrameFixture window, String name) {
        return Arrays.stream(main(window).getJMenuBar().getSubElements()).map(JMenu.class::cast)
                .filter(menu -> name.equals(menu.getName())).findFirst().orElseThrow();
    }
}
