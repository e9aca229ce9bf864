package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley chat}'s message actions between two child JVMs on loopback: messages numbered #N, and /reply,
 * /react, /unreact, /edit, /delete (here and for everyone) and /forward on them, as the other side sees them.
 */
class MessageActionCommandsTest {
    @TempDir
    Path temp;

    @Test
    void everyActionOnANumberedMessageReachesTheOtherSide() throws Exception {
        try (ChatProcess alice = new ChatProcess(temp.resolve("alice"), "Alice", "--json");
             ChatProcess bob = new ChatProcess(temp.resolve("bob"), "Bob", "--json")) {
            ChatProcess.withTranscripts(List.of(alice, bob), () -> {
                alice.await("ready");
                bob.await("ready");
                bob.send("/add " + invite(alice));
                bob.await("contact");
                alice.send("/add " + invite(bob));
                alice.await("contact");

                alice.send("/help");
                assertThat(alice.await("help").path("commands").toString())
                        .contains("/reply N TEXT", "/react N EMOJI", "/unreact N EMOJI", "/edit N TEXT",
                                "/delete N [--everyone]", "/forward N PEER");

                alice.send("/msg Bob rope or no rope?");
                int question = alice.await("sent").path("number").asInt();
                int questionAtBob = bob.await("message").path("number").asInt();

                bob.send("/reply " + questionAtBob + " rope, always");
                int replyAtBob = bob.await("sent", sent -> sent.has("replyTo")).path("number").asInt();
                JsonNode reply = alice.await("message", message -> message.path("text").asText()
                        .equals("rope, always"));
                assertThat(reply.path("replyTo").asInt()).isEqualTo(question);

                bob.send("/react " + questionAtBob + " 👍");
                JsonNode reacted = alice.await("message-changed", changed -> changed.path("change").asText()
                        .equals("reactions"));
                assertThat(reacted.path("number").asInt()).isEqualTo(question);
                assertThat(reacted.path("reactions").path("👍").asInt()).isEqualTo(1);
                bob.send("/unreact " + questionAtBob + " 👍");
                alice.await("message-changed", changed -> changed.path("change").asText().equals("reactions")
                        && !changed.has("reactions"));

                bob.send("/edit " + questionAtBob + " not mine to change");
                assertThat(bob.await("error").path("message").asText()).contains("only its author");

                alice.send("/edit " + question + " rope or no rope? (60 m)");
                JsonNode edited = bob.await("message-changed", changed -> changed.path("change").asText()
                        .equals("edited"));
                assertThat(edited.path("number").asInt()).isEqualTo(questionAtBob);
                assertThat(edited.path("text").asText()).isEqualTo("rope or no rope? (60 m)");

                bob.send("/forward " + questionAtBob + " Alice");
                JsonNode forwarded = alice.await("message", message -> message.path("forwarded").asBoolean());
                assertThat(forwarded.path("text").asText()).isEqualTo("rope or no rope? (60 m)");

                alice.send("/delete " + question + " --everyone");
                JsonNode deleted = bob.await("message-changed", changed -> changed.path("change").asText()
                        .equals("deleted"));
                assertThat(deleted.path("number").asInt()).isEqualTo(questionAtBob);
                assertThat(deleted.path("text").asText()).isEmpty();

                bob.send("/delete " + replyAtBob);
                bob.await("message-changed", changed -> changed.path("change").asText().equals("hidden"));
                bob.send("/history Alice");
                JsonNode history = bob.await("history");
                assertThat(history.path("messages").toString()).doesNotContain("rope, always")
                        .contains("\"deleted\":true");

                bob.send("/react 99 👍");
                assertThat(bob.await("error", error -> error.path("message").asText().contains("#99"))).isNotNull();
            });
        }
    }

    private static String invite(ChatProcess chat) throws InterruptedException {
        int before = chat.events("invite").size();
        chat.send("/invite");
        return chat.await("invite", node -> chat.events("invite").size() > before).path("code").asText();
    }
}
