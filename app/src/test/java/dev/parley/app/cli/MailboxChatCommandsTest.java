package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /mailbox} in {@code parley chat --json}, all real processes on loopback: a {@code parley mailbox}, and two
 * chats whose users are never online together.
 */
class MailboxChatCommandsTest {
    @TempDir
    Path temp;

    @Test
    void boPairsFromTheChatAndAdasMessageWaitsInHisMailboxUntilHeIsBack() throws Exception {
        try (NodeProcess mailbox = new NodeProcess("mailbox", temp.resolve("mailbox"))) {
            List<String> printed = mailbox.addresses();
            String code = printed.getLast().substring(MailboxCommand.PAIRING_LINE.length());
            String boPeer;
            try (ChatProcess ada = new ChatProcess(temp.resolve("ada"), "Ada", "--json")) {
                ada.await("ready");
                try (ChatProcess bo = new ChatProcess(temp.resolve("bo"), "Bo", "--json")) {
                    ChatProcess.withTranscripts(List.of(ada, bo), () -> {
                        bo.await("ready");
                        bo.send("/mailbox");
                        assertThat(bo.await("mailbox").path("paired").asBoolean()).isFalse();
                        bo.send("/mailbox pair parley-mailbox:notacode");
                        assertThat(bo.await("error").path("message").asText()).contains("not a mailbox pairing code");

                        bo.send("/mailbox pair " + code);
                        JsonNode paired = bo.await("mailbox", node -> node.path("connected").asBoolean());
                        assertThat(paired.path("paired").asBoolean()).isTrue();
                        bo.send("/invite");
                        ada.send("/add " + bo.await("invite").path("code").asText());
                        ada.send("/invite");
                        bo.send("/add " + ada.await("invite").path("code").asText());
                        ada.send("/msg Bo before you go");
                        bo.await("message", node -> node.path("text").asText().equals("before you go"));
                    });
                    boPeer = bo.await("ready").path("peerId").asText();
                    assertThat(ada.await("contact-mailbox").path("hasMailbox").asBoolean()).isTrue();
                    assertThat(bo.endInput()).isZero();
                }
                ada.send("/msg Bo are you there?");
                JsonNode held = ada.await("in-mailbox");
                assertThat(held.path("peerId").asText()).isEqualTo(boPeer);
                ada.send("/history Bo");
                assertThat(ada.await("history").path("messages")).extracting(m -> m.path("state").asText())
                        .last().isEqualTo("SENT");
                assertThat(ada.endInput()).isZero();
            }
            try (ChatProcess bo = new ChatProcess(temp.resolve("bo"), "Bo", "--json")) {
                assertThat(bo.await("message", node -> node.path("text").asText().equals("are you there?"))
                        .path("name").asText()).isEqualTo("Ada");
                assertThat(bo.await("mailbox", node -> node.path("fetched").asLong() >= 1).path("connected")
                        .asBoolean()).isTrue();
                assertThat(bo.endInput()).isZero();
            }
            assertThat(mailbox.endInput()).isZero();
        }
    }
}
