package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.RoomId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room's notices worded in the window's language, between two engines on loopback: those already in the room's
 * history when it opens (created, added, made admin) and those that arrive while it is open, made by the other member
 * (renamed, left).
 */
class RoomNoticesWindowTest extends WindowTest {
    /** The English sentences the engine renders for the command line and exports; none may reach a German window. */
    private static final List<String> ENGLISH = List.of("Alice created the room Buchclub", "Alice added Bob",
            "Alice made Bob an admin", "Bob renamed the room to Lesekreis", "Bob left");

    private final Locale before = Locale.getDefault();
    TestPeer alice;
    TestPeer bob;

    @BeforeEach
    void aliceAndBob() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        TestPeer.befriend(alice, bob);
    }

    @AfterEach
    void stopEnginesAndRestoreTheLanguage() {
        Locale.setDefault(before);
        alice.close();
        bob.close();
    }

    @Test
    void aGermanWindowWordsEveryNoticeInGerman() throws Exception {
        Locale.setDefault(Locale.GERMAN);
        List<String> lines = noticesShown();
        assertThat(lines).containsExactly("Alice hat den Raum Buchclub erstellt", "Alice hat Bob hinzugefügt",
                "Alice hat Bob zum Admin gemacht", "Bob hat den Raum in Lesekreis umbenannt",
                "Bob hat den Raum verlassen");
        assertThat(lines).doesNotContainAnyElementsOf(ENGLISH);
    }

    @Test
    void anEnglishWindowWordsThemInEnglish() throws Exception {
        Locale.setDefault(Locale.ENGLISH);
        assertThat(noticesShown()).containsExactlyElementsOf(ENGLISH);
    }

    /**
     * Alice makes Buchclub, adds Bob and makes him an admin; then, with the room open in her window, Bob renames it
     * and leaves. Returns the lines her window shows once the last notice arrived.
     */
    private List<String> noticesShown() throws Exception {
        RoomId club = alice.engine().rooms().create("Buchclub").id();
        alice.engine().rooms().invite(club, bob.peerId());
        await("Bob invited", () -> bob.engine().rooms().get(club).map(RoomInfo::status)
                .equals(Optional.of(RoomStatus.INVITED)));
        bob.engine().rooms().accept(club);
        alice.engine().rooms().promote(club, bob.peerId());
        await("Bob an admin on his side", () -> bob.engine().rooms().get(club).orElseThrow().members().stream()
                .anyMatch(member -> member.peer().equals(bob.peerId()) && member.admin()));

        FrameFixture window = openWindow(alice.engine(), false);
        MainWindow main = main(window);
        await("the room listed", () -> main.roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main.openRoom(club));
        await("the room's history shown", () -> main.roomPanel().lineTexts().size() == 3);

        bob.engine().rooms().rename(club, "Lesekreis");
        await("the rename shown", () -> main.roomPanel().lineTexts().size() == 4);
        bob.engine().rooms().leave(club);
        await("Bob's leaving shown", () -> main.roomPanel().lineTexts().size() == 5);
        return onEdt(() -> main.roomPanel().lineTexts());
    }
}
