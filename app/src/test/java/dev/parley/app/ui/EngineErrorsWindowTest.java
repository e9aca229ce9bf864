package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.contacts.AddContactDialog;
import dev.parley.app.ui.rooms.RoomDialogs;
import dev.parley.crypto.RoomId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.swing.JLabel;
import javax.swing.JLayeredPane;
import javax.swing.SwingUtilities;
import javax.swing.text.JTextComponent;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's refusals as a German window says them: the engine words them in English for the command line, and the
 * window in its own language from what went wrong. Real failures, between two engines on loopback.
 */
class EngineErrorsWindowTest extends WindowTest {
    private final Locale before = Locale.getDefault();
    TestPeer alice;
    TestPeer bob;
    FrameFixture window;

    @BeforeEach
    void aliceInGermanAndBob() throws Exception {
        Locale.setDefault(Locale.GERMAN);
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        TestPeer.befriend(alice, bob);
        window = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(window).conversationList().model().getSize() == 1);
    }

    @AfterEach
    void stopEnginesAndRestoreTheLanguage() {
        Locale.setDefault(before);
        alice.close();
        bob.close();
    }

    @Test
    void pastingYourOwnInviteCodeIsRefusedInGerman() {
        SwingUtilities.invokeLater(() -> AddContactDialog.show(main(window), alice.engine()));
        DialogFixture add = WindowFinder.findDialog("addContactDialog").withTimeout(WAIT.toMillis()).using(robot);
        add.textBox("inviteCode").setText(alice.engine().invite());
        press(add, "Hinzufügen");
        JTextComponent problem = robot.finder().findByName(add.target(), "addContactProblem", JTextComponent.class,
                false);
        await("the refusal shown", () -> problem.isShowing() && !problem.getText().isEmpty());
        String shown = onEdt(problem::getText);
        assertThat(shown).isEqualTo("Das ist dein eigener Einladungscode");
        GuiActionRunner.execute(() -> add.target().dispose());
    }

    @Test
    void aRoomNameTooLongIsRefusedInGerman() {
        SwingUtilities.invokeLater(() -> RoomDialogs.create(main(window), alice.engine(), created -> { }));
        DialogFixture create = WindowFinder.findDialog("newRoomDialog").withTimeout(WAIT.toMillis()).using(robot);
        create.textBox("roomName").setText("B".repeat(80));
        press(create, "Erstellen");
        JLabel error = create.label("roomError").target();
        await("the refusal shown", () -> !error.getText().isEmpty());
        assertThat(onEdt(() -> error.getAccessibleContext().getAccessibleName())).isEqualTo("Dieser Name geht nicht: "
                + "Ein Name ist nicht leer, hat höchstens 64 Zeichen, kein Leerzeichen am Anfang oder Ende und keine"
                + " Steuerzeichen.");
        assertThat(alice.engine().rooms().list()).isEmpty();
        GuiActionRunner.execute(() -> create.target().dispose());
    }

    @Test
    void leavingARoomAsItsLastAdminIsRefusedInGerman() throws Exception {
        RoomId club = alice.engine().rooms().create("Buchclub").id();
        alice.engine().rooms().invite(club, bob.peerId());
        await("Bob invited", () -> bob.engine().rooms().get(club).map(RoomInfo::status)
                .equals(Optional.of(RoomStatus.INVITED)));
        bob.engine().rooms().accept(club);
        await("Bob in the room", () -> alice.engine().rooms().get(club).orElseThrow().members().size() == 2);
        MainWindow main = main(window);
        await("the room listed", () -> main.roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main.openRoom(club));
        await("the room open", () -> main.roomPanel().isShowing());

        window.button("leaveRoom").click();
        await("the refusal shown", () -> toasts(main).stream().anyMatch(toast -> toast.endsWith(": Du kannst"
                + " Buchclub nicht verlassen: Du bist der letzte Admin; mach zuerst ein anderes Mitglied zum Admin.")));
        assertThat(alice.engine().rooms().get(club).map(RoomInfo::status)).contains(RoomStatus.JOINED);
    }

    private static List<String> toasts(MainWindow main) {
        return Arrays.stream(main.getLayeredPane().getComponentsInLayer(JLayeredPane.POPUP_LAYER))
                .filter(c -> c instanceof Toast toast && toast.isVisible()).map(c -> ((Toast) c).text()).toList();
    }
}
