package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.NodeOptions;
import dev.parley.app.PassphrasePrompt;
import dev.parley.app.Profile;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityFiles;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.swing.JLabel;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

/** The app from {@code parley} to the main window: first run with a new profile, and unlocking a protected one. */
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
            main(window).engine().addContact(bob.engine().invite());
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

    /**
     * Runs the app as {@code parley --profile DIR --listen <loopback> --no-mdns --bootstrap none} would, on its own
     * thread.
     */
    private static CompletableFuture<Integer> launch(Path profile) {
        LaunchOptions options = new LaunchOptions(profile, Optional.empty(), List.of(TestPeer.LOOPBACK), false,
                NodeOptions.lanOnly(), Optional.empty(), () -> { });
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("parley-app").start(() -> {
            try {
                exit.complete(ParleyApp.run(options));
            } catch (InterruptedException e) {
                exit.completeExceptionally(e);
            }
        });
        return exit;
    }
}
