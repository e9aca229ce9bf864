package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.Main;
import dev.parley.app.profile.PassphrasePrompt;
import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityFiles;
import dev.parley.transport.testing.ChildJvm;
import java.awt.Rectangle;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

/**
 * The app from {@code parley} to the main window: first run with a new profile, unlocking a protected one, and a
 * second start on a profile a running Parley holds.
 */
class StartupTest extends WindowTest {
    @Test
    void theFirstRunCreatesTheProfileWithTheChosenNameAndPassphrase() throws Exception {
        Path profile = temp.resolve("new-profile");
        CompletableFuture<Integer> exit = launch(profile);

        DialogFixture welcome = WindowFinder.findDialog("firstRun").withTimeout(WAIT.toMillis()).using(robot);
        welcome.focus();
        await("the dialog in front", () -> welcome.target().isActive());
        JLabel error = welcome.label("error").target();
        welcome.textBox("name").deleteText();
        press(welcome, "Start Parley");
        await("the empty name refused", () -> error.getText().contains("a display name cannot be empty"));

        welcome.textBox("name").enterText("Ada Lovelace");
        welcome.textBox("passphrase").enterText("correct horse");
        welcome.textBox("repeated").enterText("correct hose");
        press(welcome, "Start Parley");
        await("the typo caught", () -> error.getText().contains("The two passphrases differ"));

        welcome.textBox("repeated").enterText("correct horse");
        press(welcome, "Start Parley");
        FrameFixture window = WindowFinder.findFrame("main").withTimeout(WAIT.toMillis()).using(robot);
        await("the empty list explains itself",
                () -> main(window).conversationList().emptyText().contains("No conversations yet"));
        assertThat(new Profile(profile).displayName()).isEqualTo("Ada Lovelace");
        assertThat(IdentityFiles.isPassphraseProtected(profile)).isTrue();

        window.close();
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aProtectedProfileAsksForItsPassphraseAndAWrongOneCanBeRetried() throws Exception {
        Path profile = temp.resolve("locked");
        Profile existing = new Profile(profile);
        Identity identity = existing.loadOrCreateIdentity(PassphrasePrompt.NONE);
        existing.setDisplayName("Grace");
        existing.changePassphrase(identity, "open sesame".toCharArray());
        CompletableFuture<Integer> exit = launch(profile);

        DialogFixture unlock = WindowFinder.findDialog("unlock").withTimeout(WAIT.toMillis()).using(robot);
        unlock.focus();
        await("the dialog in front", () -> unlock.target().isActive());
        JLabel error = unlock.label("error").target();
        unlock.textBox("passphrase").enterText("open barley");
        press(unlock, "Unlock");
        await("the wrong passphrase is said", () -> error.getText().contains("That passphrase is wrong. Try again."));
        unlock.requireVisible();

        unlock.textBox("passphrase").deleteText().enterText("open sesame");
        press(unlock, "Unlock");
        FrameFixture window = WindowFinder.findFrame("main").withTimeout(WAIT.toMillis()).using(robot);
        assertThat(main(window).engine().peerId()).isEqualTo(identity.peerId());
        assertThat(main(window).engine().card().displayName()).isEqualTo("Grace");

        window.close();
        assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    @Test
    void theWindowComesBackWhereItWasLeftWithTheSameConversationOpen() throws Exception {
        Path profile = temp.resolve("returning");
        Profile existing = new Profile(profile);
        existing.loadOrCreateIdentity(PassphrasePrompt.NONE);
        existing.setDisplayName("Ada");
        try (TestPeer bob = TestPeer.start(temp, "Bob")) {
            CompletableFuture<Integer> firstRun = launch(profile);
            FrameFixture window = WindowFinder.findFrame("main").withTimeout(WAIT.toMillis()).using(robot);
            main(window).engine().contacts().add(bob.engine().invite());
            GuiActionRunner.execute(() -> main(window).openConversation(bob.peerId()));
            await("Bob's conversation open", () -> main(window).conversationPanel().peer()
                    .equals(Optional.of(bob.peerId())));
            Rectangle left = new Rectangle(120, 90, 900, 620);
            GuiActionRunner.execute(() -> main(window).setBounds(left));
            window.close();
            assertThat(firstRun.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();

            CompletableFuture<Integer> secondRun = launch(profile);
            FrameFixture again = WindowFinder.findFrame("main").withTimeout(WAIT.toMillis()).using(robot);
            await("Bob's conversation open again", () -> main(again).conversationPanel().peer()
                    .equals(Optional.of(bob.peerId())));
            assertThat(onEdt(() -> main(again).getBounds())).isEqualTo(left);
            again.close();
            assertThat(secondRun.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aSecondStartOnTheSameProfileSaysParleyIsAlreadyRunningAndExits() throws Exception {
        Path profile = temp.resolve("running");
        Profile existing = new Profile(profile);
        existing.loadOrCreateIdentity(PassphrasePrompt.NONE);
        existing.setDisplayName("Ada");
        // The first Parley is a process of its own, as a user's double start makes it.
        ProcessBuilder command = new ProcessBuilder(ChildJvm.command(Main.class, List.of("--profile",
                profile.toString(), "--listen", TestPeer.LOOPBACK.toString(), "--bootstrap", "none", "--no-mdns")));
        command.environment().put("parley.ui.reportReady", "1");
        Process first = command.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = first.inputReader(StandardCharsets.UTF_8);
            assertThat(out.readLine()).as("the first window's ready line").isEqualTo("window ready");

            CompletableFuture<Integer> second = launch(profile);
            DialogFixture refusal = WindowFinder.findDialog(new GenericTypeMatcher<>(JDialog.class) {
                @Override
                protected boolean isMatching(JDialog dialog) {
                    return "Parley is already running".equals(dialog.getTitle()) && dialog.isShowing();
                }
            }).withTimeout(WAIT.toMillis()).using(robot);
            JOptionPane pane = robot.finder().findByType(refusal.target(), JOptionPane.class);
            assertThat(onEdt(() -> pane.getMessage().toString()))
                    .startsWith("Parley is already running with this profile (PID " + first.pid() + ").")
                    .contains(profile.toString());
            assertThat(onEdt(pane::getMessageType)).isEqualTo(JOptionPane.ERROR_MESSAGE);
            screenshot(refusal.target(), "already-running");
            press(refusal, "OK");
            assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isOne();
            assertThat(first.isAlive()).as("the first Parley runs on").isTrue();
            assertThat(Files.readString(profile.resolve(ProfileLock.FILE)).strip())
                    .isEqualTo(String.valueOf(first.pid()));
        } finally {
            first.destroyForcibly();
            first.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        // Its lock went with it: the next start opens the window.
        CompletableFuture<Integer> after = launch(profile);
        FrameFixture window = WindowFinder.findFrame("main").withTimeout(WAIT.toMillis()).using(robot);
        assertThat(main(window).engine().card().displayName()).isEqualTo("Ada");
        window.close();
        assertThat(after.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }

    /**
     * Runs the app as {@code parley --profile DIR --listen <loopback> --no-mdns --bootstrap none} would, on its own
     * thread.
     */}
