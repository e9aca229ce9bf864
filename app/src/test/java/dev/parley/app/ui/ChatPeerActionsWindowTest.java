package dev.parley.app.ui;

import static dev.parley.app.ui.MessageActionsWindowTest.bubble;
import static dev.parley.app.ui.MessageActionsWindowTest.panel;
import static dev.parley.app.ui.MessageActionsWindowTest.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.Main;
import dev.parley.app.ui.actions.ReactionChips;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.JsonLinesProcess;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.swing.core.MouseButton;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Message actions between Alice's window and Carol in a terminal: a {@code parley chat --json} child process on
 * loopback. What Alice does from her window's menu, Carol's chat prints for the message it numbered; what Carol does
 * with {@code /reply}, {@code /react}, {@code /edit} and {@code /delete --everyone}, Alice's window shows live.
 */
class ChatPeerActionsWindowTest extends WindowTest {
    /** A child JVM starting on a busy machine takes longer than a window's change. */
    private static final Duration CHAT_WAIT = Duration.ofSeconds(45);

    TestPeer alice;
    FrameFixture aliceWindow;
    JsonLinesProcess carol;
    PeerId carolPeer;

    @BeforeEach
    void aliceInAWindowAndCarolInATerminal() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        carol = startChat("Carol");
        carolPeer = PeerId.parse(awaitChat("ready", line -> true).path("peerId").asText());
        carol.sendLine("/invite");
        alice.engine().contacts().add(awaitChat("invite", line -> true).path("code").asText());
        carol.sendLine("/add " + alice.engine().invite());
        awaitChat("contact", line -> line.path("peerId").asText().equals(alice.peerId().toBase58())
                && line.path("state").asText().equals("ACCEPTED"));
        aliceWindow = openWindow(alice.engine(), false);
    }

    @AfterEach
    void stopCarolAndAlice() throws InterruptedException {
        Process child = carol.process();
        child.destroy();
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
            child.destroyForcibly();
        }
        alice.close();
    }

    @Test
    void actionsFromTheWindowPrintInTheChatAndTheChatsActionsShowInTheWindow() throws Exception {
        alice.engine().chat().send(carolPeer, "summit at noon?");
        int summit = awaitChat("message", line -> line.path("text").asText().equals("summit at noon?"))
                .path("number").asInt();
        openConversationWithCarol();
        await("Alice's message shown", () -> row(aliceWindow, "summit at noon?").isPresent());

        // React from the menu's picker: Carol's chat prints the reaction on the message it numbered, with Alice's id.
        openMenuOn("summit at noon?");
        clickMenuItem("actionReact");
        await("the picker shows", () -> panel(aliceWindow).actions().popup()
                .filter(popup -> "reactionPicker".equals(popup.getName())).isPresent());
        clickMenuItem("react 👍");
        JsonNode reacted = awaitChat("message-changed", line -> line.path("change").asText().equals("reactions")
                && line.path("reactions").path("👍").asInt() == 1);
        assertThat(reacted.path("number").asInt()).isEqualTo(summit);
        assertThat(reacted.path("reactedBy").path("👍").get(0).asText()).isEqualTo(alice.peerId().toBase58());

        // Edit from the menu: the composer takes the text; Enter sends the new one.
        openMenuOn("summit at noon?");
        clickMenuItem("actionEdit");
        await("the composer edits it", () -> panel(aliceWindow).composer().contextText()
                .equals("Editing your message"));
        aliceWindow.textBox("composer").enterText(" no, at one\n");
        JsonNode edited = awaitChat("message-changed", line -> line.path("change").asText().equals("edited"));
        assertThat(edited.path("number").asInt()).isEqualTo(summit);
        assertThat(edited.path("text").asText()).isEqualTo("summit at noon? no, at one");
        assertThat(edited.path("edited").asBoolean()).isTrue();

        // Delete for everyone from the menu, confirmed: Carol's chat prints the message deleted, its text gone.
        openMenuOn("summit at noon? no, at one");
        clickMenuItem("actionDeleteForEveryone");
        DialogFixture confirm = WindowFinder.findDialog("confirmDelete").withTimeout(WAIT.toMillis()).using(robot);
        press(confirm, "Delete for everyone");
        JsonNode deleted = awaitChat("message-changed", line -> line.path("change").asText().equals("deleted"));
        assertThat(deleted.path("number").asInt()).isEqualTo(summit);
        assertThat(deleted.path("text").asText()).isEmpty();
        assertThat(deleted.path("deleted").asBoolean()).isTrue();

        // Now Carol acts on her own message, by the number her chat showed it under.
        carol.sendLine("/msg Alice bring the long rope");
        int rope = awaitChat("sent", line -> line.path("peerId").asText().equals(alice.peerId().toBase58()))
                .path("number").asInt();
        await("Carol's message shown", () -> row(aliceWindow, "bring the long rope").isPresent());

        carol.sendLine("/reply " + rope + " the 60 m one");
        await("the reply shows its quote", () -> row(aliceWindow, "the 60 m one")
                .filter(reply -> reply.quote().isVisible()
                        && reply.quote().getText().equals("Carol: bring the long rope")).isPresent());

        carol.sendLine("/react " + rope + " 👍");
        await("Carol's chip on her message", () -> chip("bring the long rope", "👍")
                .filter(chip -> chip.names().equals(List.of("Carol")) && !chip.mine()).isPresent());

        carol.sendLine("/edit " + rope + " bring the long rope and slings");
        await("the edit shown, marked", () -> row(aliceWindow, "bring the long rope and slings")
                .filter(row -> row.editedMark().isShowing()).isPresent());
        await("the reply's quote follows the edit", () -> row(aliceWindow, "the 60 m one")
                .filter(reply -> reply.quote().getText().equals("Carol: bring the long rope and slings"))
                .isPresent());
        assertThat(row(aliceWindow, "bring the long rope")).as("the old text is gone").isEmpty();

        carol.sendLine("/delete " + rope + " --everyone");
        await("the message deleted in the window", () -> panel(aliceWindow).timeline().rows().stream()
                .anyMatch(row -> row.deleted() && !row.message().outgoing()
                        && row.textPane().text().equals("This message was deleted")
                        && row.message().text().isEmpty()));
        assertThat(row(aliceWindow, "bring the long rope and slings")).isEmpty();
        assertThat(carol.lines()).noneMatch(line -> line.path("event").asText().equals("error"));
    }

    private JsonLinesProcess startChat(String name) throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "chat", "--profile", temp.resolve(name).toString(), "--name", name,
                "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns", "--bootstrap", "none", "--json");
        return new JsonLinesProcess(builder.start(), "parley chat as " + name);
    }

    /** The first JSON event of this name whose fields match; lines are kept, so earlier ones match again. */
    private JsonNode awaitChat(String event, Predicate<JsonNode> matching) {
        return carol.await("a " + event + " event", line -> line.path("event").asText().equals(event)
                && matching.test(line), CHAT_WAIT);
    }

    private void openConversationWithCarol() {
        onEdt(() -> {
            main(aliceWindow).openConversation(carolPeer);
            return true;
        });
        await("the conversation open", () -> panel(aliceWindow).timeline().messageCount() > 0);
    }

    /** Right-clicks the bubble, as the user opens a message's menu. */
    private void openMenuOn(String text) {
        aliceWindow.focus();
        robot.click(bubble(aliceWindow, text), MouseButton.RIGHT_BUTTON);
        await("the menu shows", () -> panel(aliceWindow).actions().popup()
                .filter(popup -> "messageActions".equals(popup.getName())).isPresent());
    }

    private Optional<ReactionChips.Chip> chip(String text, String emoji) {
        return row(aliceWindow, text).flatMap(row -> onEdt(() -> Optional.ofNullable(row.chips().byEmoji()
                .get(emoji))));
    }
}
