package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.EngineProbes;
import dev.parley.app.engine.api.MailboxStatus;
import dev.parley.app.engine.api.WhereHeld;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Component;
import java.awt.Container;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mailboxes in the window, against a real mailbox on loopback with its own SQLite file: pairing and unpairing from
 * Settings, and a message to a contact who is offline shown in the contact's mailbox until it is delivered.
 */
class MailboxWindowTest extends WindowTest {
    private Node mailboxNode;
    private MailboxStore mailboxStore;
    private MailboxServer mailbox;
    private List<Multiaddr> mailboxAddresses;
    private String pairingCode;
    private TestPeer alice;
    private TestPeer bob;

    @BeforeEach
    void startMailbox() throws IOException {
        mailboxNode = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly());
        mailboxAddresses = mailboxNode.listen(List.of(TestPeer.LOOPBACK));
        mailboxStore = MailboxStore.open(temp.resolve("mailbox").resolve("mailbox.db"));
        mailbox = MailboxServer.start(mailboxNode.host(), mailboxStore, 4, MailboxLimits.defaults(),
                Clock.systemUTC());
        pairingCode = new PairingCode(mailboxPeer(), mailboxAddresses, mailbox.pairingSecret()).toText();
    }

    @AfterEach
    void stopAll() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
        mailbox.close();
        mailboxNode.close();
        mailboxStore.close();
    }

    private PeerId mailboxPeer() {
        return mailboxNode.host().peerId();
    }

    @Test
    void settingsPairWithAMailboxShowItConnectedRefuseBadCodesAndUnpairBackToNoMailbox() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        FrameFixture window = openWindow(alice.engine(), false);
        window.menuItem("Settings…").click();
        DialogFixture settings = WindowFinder.findDialog("settings").withTimeout(WAIT.toMillis()).using(robot);
        await("No mailbox shown", () -> showing(settings, "mailboxNone"));
        robot.waitForIdle();
        screenshot(section(settings), "settings-no-mailbox-light");

        settings.textBox("mailboxCode").enterText("parley-mailbox:not-a-code");
        press(settings, "Pair");
        await("the bad code explained", () -> errorText(settings).contains("not a mailbox pairing code"));
        byte[] wrongSecret = new byte[PairingCode.SECRET_BYTES];
        new SecureRandom().nextBytes(wrongSecret);
        settings.textBox("mailboxCode").setText(new PairingCode(mailboxPeer(), mailboxAddresses, wrongSecret).toText());
        press(settings, "Pair");
        await("the mailbox's refusal shown", () -> errorText(settings).contains("refused the pairing code"));
        assertThat(alice.engine().mailbox().status()).as("nothing changed").isEqualTo(MailboxStatus.NONE);
        assertThat(mailboxStore.ownerKeys()).isEmpty();
        assertThat(onEdt(() -> showing(settings, "mailboxNone"))).isTrue();

        settings.textBox("mailboxCode").setText(pairingCode);
        press(settings, "Pair");
        await("paired and connected", () -> showing(settings, "mailboxConnection")
                && named(settings, "mailboxConnection", JLabel.class).getText().equals("Connected"));
        assertThat(alice.engine().mailbox().status().mailbox()).contains(mailboxPeer());
        assertThat(mailboxStore.ownerKeys()).containsOnlyKeys(alice.peerId().toBase58());
        String id = mailboxPeer().toBase58();
        settings.label("mailboxId").requireText(id.substring(0, 6) + "…" + id.substring(id.length() - 6));
        settings.label("mailboxHolds").requireText("0 of 10,000 messages, kept 14 days");
        settings.label("mailboxFetched").requireText("no messages brought yet");
        assertThat(onEdt(() -> errorText(settings))).as("the earlier error cleared").isBlank();
        robot.waitForIdle();
        screenshot(section(settings), "settings-mailbox-light");
        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
            settings.target().pack();
        });
        robot.waitForIdle();
        screenshot(section(settings), "settings-mailbox-dark");

        pressToOpen(settings, "mailboxUnpair");
        DialogFixture confirm = WindowFinder.findDialog("confirmUnpair").withTimeout(WAIT.toMillis()).using(robot);
        assertThat(onEdt(() -> find(confirm.target(), JOptionPane.class, pane -> true).orElseThrow().getMessage()))
                .asString().contains("contacts will be told", "waiting there for you are lost");
        press(confirm, "Cancel");
        await("the question gone", () -> !confirm.target().isShowing());
        assertThat(alice.engine().mailbox().status().mailbox()).as("Cancel keeps it").contains(mailboxPeer());

        pressToOpen(settings, "mailboxUnpair");
        DialogFixture again = WindowFinder.findDialog("confirmUnpair").withTimeout(WAIT.toMillis()).using(robot);
        press(again, "Unpair");
        await("No mailbox shown again", () -> showing(settings, "mailboxNone"));
        assertThat(alice.engine().mailbox().status()).isEqualTo(MailboxStatus.NONE);
        assertThat(mailboxStore.ownerKeys()).as("the mailbox forgot Alice").isEmpty();
        press(settings, "Cancel");
        await("Settings closed", () -> !settings.target().isShowing());
    }

    @Test
    void aMessageToAnOfflineContactWithAMailboxShowsInTheirMailboxThenDelivered() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, "Bob");
        TestPeer.befriend(alice, bob);
        bob.engine().mailbox().pair(pairingCode);
        // Alice stores Bob's capability before she acknowledges his grant.
        EngineProbes.awaitDeliveredEverythingTo(bob.engine(), alice.peerId(), WAIT);
        bob.stopEngine();

        FrameFixture window = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(window).conversationList().model().getSize() == 1);
        window.list("conversations").clickItem(0);
        await("Bob offline", () -> !main(window).conversationPanel().contact().orElseThrow().online());
        ConversationPanel open = main(window).conversationPanel();
        await("composer enabled", () -> open.composer().reason().isEmpty());
        window.textBox("composer").enterText("for your mailbox");
        window.textBox("composer").pressAndReleaseKeys(KeyEvent.VK_ENTER);

        MessageRow held = awaitFound("the bubble in Bob's mailbox", () -> row(open, "for your mailbox")
                .filter(row -> row.deliveryMark() == DeliveryIcon.Mark.IN_MAILBOX
                        && row.description().endsWith(" · In Bob's mailbox")));
        assertThat(alice.engine().chat().whereHeld(bob.peerId(), held.message().id()))
                .isEqualTo(new WhereHeld.InMailbox());
        await("the note says so", () -> open.deliveryNote().isShowing() && open.deliveryNote().getText()
                .equals("Bob is offline. Your messages are in Bob's mailbox and reach Bob when Bob is back online."));
        robot.waitForIdle();
        screenshot(open, "conversation-in-mailbox-light");

        bob.startEngine();
        await("the bubble delivered", () -> row(open, "for your mailbox")
                .filter(row -> row.deliveryMark() == DeliveryIcon.Mark.DELIVERED
                        && row.description().endsWith(" · Delivered")).isPresent());
        await("the note gone", () -> !open.deliveryNote().isShowing());
        assertThat(alice.engine().chat().whereHeld(bob.peerId(), held.message().id()))
                .as("delivered: out of the outbox").isEqualTo(new WhereHeld.Nowhere());
    }

    private static Optional<MessageRow> row(ConversationPanel open, String text) {
        return open.timeline().rows().stream().filter(row -> row.message().text().equals(text)).findFirst();
    }

    /** Whether the label called {@code name} shows; read on the EDT. */
    private static boolean showing(DialogFixture dialog, String name) {
        return named(dialog, name, JLabel.class).isShowing();
    }

    /** The mailbox section's error line; read on the EDT. */
    private static String errorText(DialogFixture dialog) {
        return named(dialog, "mailboxError", JLabel.class).getText();
    }

    private static Component section(DialogFixture dialog) {
        return onEdt(() -> named(dialog, "mailboxSection", MailboxSection.class));
    }

    /**
     * The component called {@code name} in the dialog, shown or not (a card the section does not show now is
     * looked for too); on the EDT.
     */
    private static <T extends Component> T named(DialogFixture dialog, String name, Class<T> type) {
        return find(dialog.target(), type, found -> name.equals(found.getName()))
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    /** The first {@code type} in {@code root} that is {@code wanted}, shown or not. */
    private static <T extends Component> Optional<T> find(Container root, Class<T> type, Predicate<T> wanted) {
        for (Component child : root.getComponents()) {
            if (type.isInstance(child) && wanted.test(type.cast(child))) {
                return Optional.of(type.cast(child));
            }
            if (child instanceof Container container) {
                Optional<T> found = find(container, type, wanted);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
