package dev.parley.app.ui.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.crypto.SafetyNumber;
import dev.parley.transport.multiformats.PeerId;
import java.awt.event.KeyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.swing.JFrame;
import javax.swing.SwingUtilities;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.junit.jupiter.api.Test;

class ContactInfoDialogTest extends ContactsGuiTest {
    private Engine alice;
    private Engine bob;

    private DialogFixture open(Engine engine, PeerId peer) {
        JFrame owner = owner();
        SwingUtilities.invokeLater(() -> ContactInfoDialog.show(owner, engine, peer));
        return WindowFinder.findDialog("contactInfoDialog").withTimeout(10_000).using(robot);
    }

    /** Starts Alice and Bob as connected contacts and opens Alice's contact info of Bob. */
    private DialogFixture openAlicesInfoOnConnectedBob() throws Exception {
        alice = start("Alice");
        bob = start("Bob");
        befriend(alice, bob);
        alice.chat().send(bob.peerId(), "hello");
        until("Alice and Bob are connected", () -> alice.contacts().get(bob.peerId()).orElseThrow().online());
        return open(alice, bob.peerId());
    }

    @Test
    void aConnectedContactShowsTheSafetyNumberBothSidesComputeAndALanPathWithItsRoundTrip() throws Exception {
        DialogFixture dialog = openAlicesInfoOnConnectedBob();
        dialog.label("contactName").requireText("Bob");
        dialog.label("contactStatus").requireText("Contact · Online");
        dialog.textBox("peerId").requireText(bob.peerId().toBase58()).requireNotEditable();

        SafetyNumber bobsView = bob.contacts().safetyNumber(alice.peerId());
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            shown.add(dialog.label("safetyGroup" + i).text());
        }
        assertThat(shown).isEqualTo(bobsView.groups());
        assertThat(decodeQrPainted(named(dialog.target(), "safetyQr"))).isEqualTo(bobsView.qrPayload());
        assertThat(dialog.textBox("safetyExplanation").text()).isEqualTo(
                "Compare these numbers with Bob in person or on a call; if they match, no one is in between.");

        until("the connection is measured", () -> !dialog.label("connectionPath").target().getText().startsWith("Meas"));
        assertThat(dialog.label("connectionPath").text()).matches("LAN · [0-9.,]+ ms round trip");
        assertThat(dialog.label("connectionAddress").text()).startsWith("/ip4/127.0.0.1/tcp/");
        screenshot(dialog.target(), "contact-info-light");
        switchToDark();
        assertThat(decodeQrPainted(named(dialog.target(), "safetyQr"))).isEqualTo(bobsView.qrPayload());
        screenshot(dialog.target(), "contact-info-dark");

        dialog.button("copyPeerId").click();
        assertThat(clipboardText()).isEqualTo(bob.peerId().toBase58());

        List<String> pathTexts = new CopyOnWriteArrayList<>();
        GuiActionRunner.execute(() -> dialog.label("connectionPath").target().addPropertyChangeListener("text",
                change -> pathTexts.add((String) change.getNewValue())));
        dialog.button("refreshConnection").click();
        until("Refresh measured again", () -> pathTexts.size() >= 2 && pathTexts.getFirst().equals("Measuring…")
                && pathTexts.getLast().startsWith("LAN · "));

        dialog.pressAndReleaseKeys(KeyEvent.VK_ESCAPE);
        dialog.requireNotVisible();
    }

    @Test
    void blockAndUnblockAndAPeerThatGoesAway() throws Exception {
        DialogFixture dialog = openAlicesInfoOnConnectedBob();

        dialog.button("blockContact").requireText("Block").click();
        until("Bob is blocked", () -> dialog.button("blockContact").target().getText().equals("Unblock"));
        assertThat(alice.contacts().blocked()).extracting(ContactInfo::peer).containsExactly(bob.peerId());
        assertThat(dialog.label("contactStatus").text()).startsWith("Blocked · ");

        dialog.button("blockContact").click();
        until("Bob is a contact again", () -> dialog.button("blockContact").target().getText().equals("Block"));
        assertThat(alice.contacts().accepted()).extracting(ContactInfo::peer).containsExactly(bob.peerId());

        bob.close();
        until("the dialog says Bob went away", () ->
                dialog.label("connectionPath").target().getText().startsWith("Not connected (last seen today at "));
        assertThat(dialog.label("contactStatus").text()).startsWith("Contact · Last seen today at ");
    }

    @Test
    void aPeerWithoutACardSaysWhyThereIsNoSafetyNumber() throws Exception {
        Engine alice = start("Alice");
        Engine stranger = start("Stranger");
        alice.contacts().block(stranger.peerId());

        DialogFixture dialog = open(alice, stranger.peerId());
        dialog.textBox("safetyProblem").requireText(
                stranger.peerId() + " is not a contact whose card we hold");
        dialog.label("connectionPath").requireText("Not connected (never seen)");
        dialog.button("blockContact").requireText("Unblock").click();
        until("the engine's reason is shown", () -> showing(dialog.target(), "contactInfoProblem"));
        assertThat(dialog.textBox("contactInfoProblem").text()).endsWith("add it with its invite code");
    }
}
