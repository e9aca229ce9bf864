package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code parley mailbox} killed with SIGKILL while Ada's Parley deposits into it and again while Bo's fetches from
 * it, restarted on the same profile and port: every message reaches Bo once. All real processes on loopback.
 */
class MailboxKillChatTest {
    private static final int MESSAGES = 200;
    @TempDir
    Path temp;

    @Test
    void killingTheMailboxDuringDepositsAndDuringAFetchLosesNothingAndShowsNothingTwice() throws Exception {
        String listen = "/ip4/127.0.0.1/tcp/" + freePort();
        Path profile = temp.resolve("mailbox");
        NodeProcess mailbox = new NodeProcess("mailbox", profile, "--listen", listen);
        try {
            String code = mailbox.addresses().getLast().substring(MailboxCommand.PAIRING_LINE.length());
            List<String> sent = new ArrayList<>();
            try (ChatProcess ada = new ChatProcess(temp.resolve("ada"), "Ada", "--json")) {
                try (ChatProcess bo = new ChatProcess(temp.resolve("bo"), "Bo", "--json")) {
                    ChatProcess.withTranscripts(List.of(ada, bo), () -> {
                        ada.await("ready");
                        bo.send("/mailbox pair " + code);
                        bo.await("mailbox", node -> node.path("connected").asBoolean());
                        bo.send("/invite");
                        ada.send("/add " + bo.await("invite").path("code").asText());
                        ada.send("/invite");
                        bo.send("/add " + ada.await("invite").path("code").asText());
                        ada.await("contact-mailbox", node -> node.path("hasMailbox").asBoolean());
                        ada.send("/msg Bo see you");
                        ada.await("delivered");
                    });
                    assertThat(bo.endInput()).isZero();
                }
                ChatProcess.withTranscripts(List.of(ada), () -> {
                    for (int i = 0; i < MESSAGES; i++) {
                        ada.send("/msg Bo while you are away " + i);
                    }
                    ada.await("sent", node -> node.path("number").asInt() == MESSAGES + 1);
                    ada.events("sent").stream().skip(1).forEach(node -> sent.add(node.path("id").asText()));
                    ada.await("in-mailbox");
                });
                kill(mailbox);
                mailbox = new NodeProcess("mailbox", profile, "--listen", listen);
                ChatProcess.withTranscripts(List.of(ada), () -> {
                    assertThat(sent).hasSize(MESSAGES);
                    Set<String> held = new HashSet<>();
                    ada.await("in-mailbox", node -> {
                        node.path("ids").forEach(id -> held.add(id.asText()));
                        return held.containsAll(sent);
                    });
                });
                assertThat(ada.endInput()).isZero();
            }

            try (ChatProcess bo = new ChatProcess(temp.resolve("bo"), "Bo", "--json")) {
                ChatProcess.withTranscripts(List.of(bo), () -> bo.await("message"));
                kill(mailbox);
                mailbox = new NodeProcess("mailbox", profile, "--listen", listen);
                ChatProcess.withTranscripts(List.of(bo), () -> {
                    Set<String> received = new HashSet<>();
                    bo.await("message", node -> {
                        received.add(node.path("id").asText());
                        return received.containsAll(sent);
                    });
                    bo.send("/history Ada " + (MESSAGES + 10));
                    JsonNode history = bo.await("history");
                    List<String> texts = new ArrayList<>();
                    history.path("messages").forEach(message -> texts.add(message.path("text").asText()));
                    List<String> expected = new ArrayList<>(List.of("see you"));
                    for (int i = 0; i < MESSAGES; i++) {
                        expected.add("while you are away " + i);
                    }
                    assertThat(texts).containsExactlyElementsOf(expected);
                    assertThat(bo.events("message")).as("each shown once").hasSize(MESSAGES);
                });
                assertThat(bo.endInput()).isZero();
            }
        } finally {
            mailbox.close();
        }
    }

    private static void kill(NodeProcess mailbox) throws InterruptedException, IOException {
        mailbox.process().destroyForcibly();
        if (!mailbox.process().waitFor(20, TimeUnit.SECONDS)) {
            throw new IOException("the mailbox did not die");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
