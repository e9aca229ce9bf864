package dev.parley.app.ui.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.Engine;
import dev.parley.crypto.InviteCode;
import java.awt.event.KeyEvent;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.Test;

class InviteDialogTest extends ContactsGuiTest {

    private DialogFixture open(Engine engine) {
        JFrame owner = owner();
        SwingUtilities.invokeLater(() -> InviteDialog.show(owner, engine));
        return WindowFinder.findDialog("inviteDialog").withTimeout(10_000).using(robot);
    }

    @Test
    void theQrCodeOnScreenReadsBackAsTheInviteCodeInLightAndDark() throws Exception {
        Engine alice = start("Alice");
        DialogFixture dialog = open(alice);
        String invite = alice.invite();
        dialog.textBox("inviteCode").requireText(invite).requireNotEditable();
        dialog.label("inviteName").requireText("Alice");

        String scanned = decodeQrPainted(named(dialog.target(), "inviteQr"));
        assertThat(scanned).isEqualToIgnoringCase(invite).startsWith("PARLEY:");
        assertThat(InviteCode.parse(scanned).card().peerId()).isEqualTo(alice.peerId());
        screenshot(dialog.target(), "invite-light");

        switchToDark();
        assertThat(decodeQrPainted(named(dialog.target(), "inviteQr"))).isEqualTo(scanned);
        screenshot(dialog.target(), "invite-dark");
    }

    @Test
    void copyPutsTheCodeOnTheClipboardAndSaysSo() throws Exception {
        Engine alice = start("Alice");
        DialogFixture dialog = open(alice);
        putOnClipboard("something else");

        dialog.button("copyInvite").requireText("Copy").click();
        dialog.button("copyInvite").requireText("Copied");
        assertThat(clipboardText()).isEqualTo(alice.invite());
        until("the button says Copy again", () -> dialog.button("copyInvite").target().getText().equals("Copy"));

        putOnClipboard("something else");
        dialog.pressAndReleaseKeys(KeyEvent.VK_ENTER);
        until("Enter copied the code", () -> clipboardText().equals(alice.invite()));

        dialog.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        dialog.requireNotVisible();
    }
}
