package dev.parley.app.ui.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.awt.event.KeyEvent;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import javax.swing.TransferHandler;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.Test;

class AddContactDialogTest extends ContactsGuiTest {
    /** What {@link AddContactDialog#show} returned, once it has. */
    private final AtomicReference<Optional<ContactInfo>> result = new AtomicReference<>();

    private DialogFixture open(Engine engine) {
        JFrame owner = owner();
        SwingUtilities.invokeLater(() -> result.set(AddContactDialog.show(owner, engine)));
        return WindowFinder.findDialog("addContactDialog").withTimeout(10_000).using(robot);
    }

    @Test
    void aPastedInviteCodeAddsTheContactAndMessagesThenArrive() throws Exception {
        Engine alice = start("Alice");
        Engine bob = start("Bob");
        DialogFixture dialog = open(alice);
        dialog.button("addContact").requireDisabled();

        putOnClipboard("\n  " + bob.invite() + "  \r\n");
        dialog.button("pasteInvite").click();
        dialog.textBox("inviteCode").requireText(bob.invite());
        dialog.button("addContact").requireEnabled();
        dialog.textBox("inviteCode").pressAndReleaseKeys(KeyEvent.VK_ENTER);

        until("the dialog closed with the contact", () -> result.get() != null);
        dialog.requireNotVisible();
        ContactInfo added = result.get().orElseThrow();
        assertThat(added.name()).isEqualTo("Bob");
        assertThat(added.status()).isEqualTo(ContactStatus.ACCEPTED);
        assertThat(alice.contacts().accepted()).extracting(ContactInfo::peer).containsExactly(bob.peerId());

        alice.chat().send(bob.peerId(), "Hello Bob, it is Alice");
        until("Bob has Alice's message", () -> {
            try {
                return !bob.contacts().requests().isEmpty() && bob.history().newest(alice.peerId(), 1).messages()
                        .getFirst().text().equals("Hello Bob, it is Alice");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void aBadCodeShowsTheEnginesReasonAndTheDialogStaysOpenToFixIt() throws Exception {
        Engine alice = start("Alice");
        Engine bob = start("Bob");
        DialogFixture dialog = open(alice);
        assertThat(showing(dialog.target(), "addContactProblem")).isFalse();

        String invite = bob.invite();
        int middle = invite.length() / 2;
        String mistyped = invite.substring(0, middle) + (invite.charAt(middle) == 'a' ? 'b' : 'a')
                + invite.substring(middle + 1);
        dialog.textBox("inviteCode").setText(mistyped);
        dialog.button("addContact").click();

        until("the reason is shown", () -> showing(dialog.target(), "addContactProblem"));
        dialog.textBox("addContactProblem").requireText(
                "This invite code has a typo or a missing piece — copy it again, all of it, from where they sent it.");
        dialog.requireVisible();
        dialog.button("addContact").requireEnabled().requireText("Add");
        assertThat(alice.contacts().accepted()).isEmpty();

        screenshot(dialog.target(), "add-contact-light");
        switchToDark();
        screenshot(dialog.target(), "add-contact-dark");

        dialog.textBox("inviteCode").setText(alice.invite());
        dialog.button("addContact").click();
        until("the engine's next reason is shown", () ->
                dialog.textBox("addContactProblem").target().getText().equals("That is your own invite code"));

        // A code dropped on the dialog replaces what the field held.
        boolean dropped = GuiActionRunner.execute(() -> {
            JComponent content = (JComponent) ((JDialog) dialog.target()).getContentPane();
            return content.getTransferHandler().importData(new TransferHandler.TransferSupport(content,
                    new StringSelection("  " + invite + "\n")));
        });
        assertThat(dropped).isTrue();
        dialog.textBox("inviteCode").requireText(invite);
        dialog.button("addContact").click();
        until("the dialog closed with the contact", () -> result.get() != null);
        assertThat(result.get()).map(ContactInfo::peer).contains(bob.peerId());
    }

    @Test
    void aCutShortCodeIsCalledIncompleteAndTheProblemGoesOnceAWholeCodeIsPasted() throws Exception {
        Engine alice = start("Alice");
        Engine bob = start("Bob");
        DialogFixture dialog = open(alice);
        String invite = bob.invite();

        // Cut where base32 cannot end (one character into a group of eight): no whole byte is left to decode.
        int cut = "parley:".length() + (invite.length() / 2 / 8) * 8 + 1;
        dialog.textBox("inviteCode").setText(invite.substring(0, cut));
        dialog.button("addContact").click();
        until("the reason is shown", () -> showing(dialog.target(), "addContactProblem"));
        dialog.textBox("addContactProblem").requireText(
                "This invite code is incomplete — check that you copied all of it.");

        GuiActionRunner.execute(() -> {
            StringSelection whole = new StringSelection(invite);
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(whole, whole);
        });
        JButton paste = dialog.button("pasteInvite").target();
        GuiActionRunner.execute(() -> paste.doClick());

        dialog.textBox("inviteCode").requireText(invite);
        until("the stale reason cleared", () -> !showing(dialog.target(), "addContactProblem"));
        assertThat(alice.contacts().accepted()).as("nothing added before Add").isEmpty();
        dialog.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        until("the dialog closed", () -> result.get() != null);
    }

    @Test
    void escapeClosesTheDialogWithoutAContact() throws Exception {
        Engine alice = start("Alice");
        DialogFixture dialog = open(alice);
        dialog.textBox("inviteCode").enterText("parley:");
        dialog.button("addContact").requireEnabled();
        dialog.textBox("inviteCode").deleteText();
        dialog.button("addContact").requireDisabled();
        dialog.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);

        until("the dialog closed", () -> result.get() != null);
        assertThat(result.get()).isEmpty();
        assertThat(alice.contacts().accepted()).isEmpty();
    }
}
