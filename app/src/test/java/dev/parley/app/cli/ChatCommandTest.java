package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley chat} as scripts use it: child JVMs on loopback, commands on stdin, JSON lines on stdout. */
class ChatCommandTest {
    @TempDir
    Path temp;

    private Engine engine(String directory, String name) throws Exception {
        return Engine.start(EngineConfig.of(temp.resolve(directory), Identity.generate(), name,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
    }

    private static String invite(ChatProcess chat) throws InterruptedException {
        int before = chat.events("invite").size();
        chat.send("/invite");
        return chat.await("invite", node -> chat.events("invite").size() > before).path("code").asText();
    }

    @Test
    void twoProfilesAddEachOtherAndChat() throws Exception {
        try (ChatProcess alice = new ChatProcess(temp.resolve("alice"), "Alice", "--json");
             ChatProcess bob = new ChatProcess(temp.resolve("bob"), "Bob", "--json")) {
            ChatProcess.withTranscripts(List.of(alice, bob), () -> {
                JsonNode aliceReady = alice.await("ready");
                JsonNode bobReady = bob.await("ready");
                assertThat(alice.lines().getFirst()).contains("\"event\":\"ready\"");
                assertThat(aliceReady.path("name").asText()).isEqualTo("Alice");
                assertThat(aliceReady.path("addresses")).isNotEmpty().allSatisfy(address ->
                        assertThat(address.asText()).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/"
                                + aliceReady.path("peerId").asText()));
                String alicePeer = aliceReady.path("peerId").asText();
                String bobPeer = bobReady.path("peerId").asText();

                String aliceCode = invite(alice);
                assertThat(aliceCode).startsWith("parley:");
                bob.send("/add " + aliceCode);
                assertThat(bob.await("contact").path("name").asText()).isEqualTo("Alice");
                alice.send("/add " + invite(bob));
                JsonNode added = alice.await("contact");
                assertThat(added.path("peerId").asText()).isEqualTo(bobPeer);
                assertThat(added.path("state").asText()).isEqualTo("ACCEPTED");

                alice.send("/msg Bob hello Bob, it's Alice ☺");
                String id = alice.await("sent").path("id").asText();
                JsonNode received = bob.await("message");
                assertThat(received.path("text").asText()).isEqualTo("hello Bob, it's Alice ☺");
                assertThat(received.path("peerId").asText()).isEqualTo(alicePeer);
                assertThat(received.path("name").asText()).isEqualTo("Alice");
                assertThat(received.path("id").asText()).isEqualTo(id);
                assertThat(alice.await("delivered").path("id").asText()).isEqualTo(id);

                bob.send("/msg " + alicePeer.substring(0, 12) + " hi Alice");
                assertThat(alice.await("message").path("text").asText()).isEqualTo("hi Alice");

                bob.send("/history alice 10");
                JsonNode history = bob.await("history");
                assertThat(history.path("peerId").asText()).isEqualTo(alicePeer);
                assertThat(history.path("messages")).extracting(m -> m.path("text").asText())
                        .containsExactly("hello Bob, it's Alice ☺", "hi Alice");
                assertThat(history.path("messages")).extracting(m -> m.path("outgoing").asBoolean())
                        .containsExactly(false, true);
                assertThat(alice.await("presence", node -> node.path("peerId").asText().equals(bobPeer))
                        .path("online").asBoolean()).isTrue();
                JsonNode connection = alice.await("connection", node -> node.path("peerId").asText().equals(bobPeer));
                assertThat(connection.path("path").asText()).isEqualTo("lan");
                assertThat(connection.path("address").asText()).startsWith("/ip4/127.0.0.1/tcp/");
                assertThat(connection.path("rttMs").asDouble()).isPositive();

                alice.send("/quit");
                assertThat(alice.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(alice.process().exitValue()).isZero();
                assertThat(bob.endInput()).isZero();
                assertThat(alice.events("message")).hasSize(1);
                assertThat(bob.events("message")).hasSize(1);
                assertThat(alice.lines()).noneMatch(line -> line.contains("\"event\":\"error\""));
                assertThat(bob.lines()).noneMatch(line -> line.contains("\"event\":\"error\""));
            });
        }
    }

    @Test
    void badCommandsAreErrorEventsAndTheSessionGoesOn() throws Exception {
        try (ChatProcess chat = new ChatProcess(temp.resolve("chat"), "Dana", "--json")) {
            chat.await("ready");
            List<String> commands = List.of("/frobnicate", "hello there", "/msg", "/msg Nobody hi",
                    "/add parley:NOTAVALIDCODE", "/add", "/history", "/accept 12D3KooWnotapeer", "/block",
                    "/msg " + Identity.generate().peerId() + " hi");
            for (String command : commands) {
                chat.send(command);
            }
            chat.send("/help");
            chat.await("help");

            List<String> errors = chat.events("error").stream().map(node -> node.path("message").asText()).toList();
            assertThat(errors).hasSize(commands.size());
            assertThat(errors.get(0)).contains("unknown command /frobnicate");
            assertThat(errors.get(1)).contains("starts with a command");
            assertThat(errors.get(2)).contains("missing PEER");
            assertThat(errors.get(3)).contains("'Nobody'");
            assertThat(errors.get(4)).contains("not a valid invite code");
            assertThat(errors.get(5)).contains("usage: /add CODE");
            assertThat(errors.get(6)).contains("usage: /history");
            assertThat(errors.get(7)).contains("'12D3KooWnotapeer'");
            assertThat(errors.get(8)).contains("usage: /block PEER");
            assertThat(errors.get(9)).contains("not a contact");
            assertThat(chat.await("help").path("commands")).isNotEmpty();
            assertThat(chat.endInput()).isZero();
        }
    }

    @Test
    void requestsCanBeAcceptedAndAmbiguousNamesAreRefused() throws Exception {
        try (ChatProcess chat = new ChatProcess(temp.resolve("chat"), "Erin", "--json");
             Engine sam = engine("sam", "Sam"); Engine otherSam = engine("other-sam", "Sam")) {
            chat.await("ready");
            String code = invite(chat);
            sam.contacts().add(code);
            otherSam.contacts().add(code);
            sam.chat().send(PeerId.parse(chat.await("ready").path("peerId").asText()), "hi, I'm Sam");

            JsonNode request = chat.await("request");
            assertThat(request.path("name").asText()).isEqualTo("Sam");
            assertThat(request.path("text").asText()).isEqualTo("hi, I'm Sam");
            assertThat(request.path("peerId").asText()).isEqualTo(sam.peerId().toBase58());
            // A request keeps 20 messages until accepted (app/README.md, "Requests and rates"): two are dropped.
            PeerId erin = PeerId.parse(chat.await("ready").path("peerId").asText());
            for (int i = 1; i <= 21; i++) {
                sam.chat().send(erin, "are you there? " + i);
            }
            chat.await("request-dropped", node -> node.path("dropped").asLong() == 2);
            chat.send("/history " + sam.peerId().toBase58());
            JsonNode history = chat.await("history");
            assertThat(history.path("messages")).hasSize(20);
            assertThat(history.path("dropped").asLong()).isEqualTo(2);

            chat.send("/accept " + sam.peerId().toBase58().substring(0, 20));
            assertThat(chat.await("contact").path("state").asText()).isEqualTo("ACCEPTED");
            chat.send("/add " + otherSam.invite());
            chat.await("contact", node -> node.path("peerId").asText().equals(otherSam.peerId().toBase58()));

            chat.send("/msg Sam which one?");
            chat.send("/msg \"sam\" quoted names are looked up too, case aside");
            chat.send("/help");
            chat.await("help");
            List<String> errors = chat.events("error").stream().map(node -> node.path("message").asText()).toList();
            assertThat(errors).hasSize(2).allSatisfy(error -> assertThat(error).contains("ambiguous")
                    .contains(sam.peerId().toBase58()).contains(otherSam.peerId().toBase58()));
            assertThat(chat.events("sent")).isEmpty();
            assertThat(chat.endInput()).isZero();
        }
    }

    @Test
    void aPeerIsNamedByTheStartOfItsNameInAnyCaseAndAnAmbiguousOneListsTheCandidates() throws Exception {
        try (ChatProcess chat = new ChatProcess(temp.resolve("chat"), "Erin", "--json");
             Engine ada = engine("ada", "Ada L."); Engine adam = engine("adam", "Adam")) {
            ChatProcess.withTranscripts(List.of(chat), () -> {
                PeerId erin = PeerId.parse(chat.await("ready").path("peerId").asText());
                chat.send("/add " + ada.invite());
                chat.await("contact", node -> node.path("peerId").asText().equals(ada.peerId().toBase58()));

                chat.send("/msg Ada hello");
                JsonNode first = chat.await("sent");
                assertThat(first.path("peerId").asText()).isEqualTo(ada.peerId().toBase58());

                chat.send("/add " + adam.invite());
                chat.await("contact", node -> node.path("peerId").asText().equals(adam.peerId().toBase58()));
                chat.send("/msg ada hi");
                String ambiguous = chat.await("error").path("message").asText();
                assertThat(ambiguous).contains("'ada' is ambiguous").contains("Ada L. (" + ada.peerId() + ")")
                        .contains("Adam (" + adam.peerId() + ")");

                chat.send("/msg ada l. hello again, no quotes needed");
                chat.send("/msg ADAM yo");
                chat.await("sent", node -> chat.events("sent").size() == 3);
                List<JsonNode> sent = chat.events("sent");
                assertThat(sent).extracting(node -> node.path("peerId").asText()).containsExactly(
                        ada.peerId().toBase58(), ada.peerId().toBase58(), adam.peerId().toBase58());
                for (JsonNode message : sent) {
                    chat.await("delivered", node -> node.path("id").equals(message.path("id")));
                }
                assertThat(ada.history().newest(erin, 10).messages()).extracting(m -> m.text())
                        .containsExactly("hello", "hello again, no quotes needed");
                assertThat(adam.history().newest(erin, 10).messages()).extracting(m -> m.text())
                        .containsExactly("yo");

                chat.send("/history Ada L.");
                assertThat(chat.await("history").path("peerId").asText()).isEqualTo(ada.peerId().toBase58());
                chat.send("/msg Zed hi");
                assertThat(chat.await("error", node -> node.path("message").asText().contains("Zed"))
                        .path("message").asText()).isEqualTo("no contact, request or nearby peer is called 'Zed',"
                                + " nor has a name or PeerId that starts so");
                assertThat(chat.events("error")).hasSize(2);
                assertThat(chat.endInput()).isZero();
            });
        }
    }

    @Test
    void humanLinesNameContactsAndMessagesAndCountMembersRight() throws Exception {
        try (ChatProcess chat = new ChatProcess(temp.resolve("chat"), "Finn");
             Engine ada = engine("ada", "Ada L.")) {
            ChatProcess.withTranscripts(List.of(chat), () -> {
                chat.awaitLine(line -> line.startsWith("Parley chat as Finn (12D3KooW"));
                chat.send("/invite");
                String code = chat.awaitLine(line -> line.startsWith("invite code: ")).substring("invite code: ".length());
                ada.contacts().add(code);
                chat.send("/add " + ada.invite());
                chat.awaitLine(line -> line.equals("Ada L. (" + ada.peerId() + ") is now accepted"));

                chat.send("/msg Ada hello there, a message long enough to be cut short on its delivered line");
                chat.awaitLine(line -> line.equals(
                        "#1 to Ada L.: hello there, a message long enough to be cut short on its delivered line"));
                chat.awaitLine(line -> line.equals("delivered to Ada L.: hello there, a message long enough to be…"));
                PeerId finn = ada.contacts().accepted().getFirst().peer();
                ada.chat().markRead(finn);
                chat.awaitLine(line -> line.equals("Ada L. read 1 message"));

                chat.send("/room create Book club");
                String created = chat.awaitLine(line -> line.startsWith("created room Book club ("));
                String room = created.substring(created.indexOf('(') + 1, created.indexOf(')'));
                chat.awaitLine(line -> line.equals("Book club (" + room + "): joined, 1 member"));
                chat.send("/room invite Book club Ada");
                chat.awaitLine(line -> line.equals("Book club (" + room + "): joined, 2 members"));
                chat.send("/room say book club hello all");
                chat.awaitLine(line -> line.equals("#2 to Book club: hello all"));
                chat.send("/rooms");
                chat.awaitLine(line -> line.equals("Book club (" + room + ", joined, 2 members)"));

                assertThat(chat.lines()).noneMatch(line -> line.startsWith("error"));
                assertThat(chat.endInput()).isZero();
            });
        }
    }

    @Test
    void withoutJsonItPrintsHumanLines() throws Exception {
        try (ChatProcess chat = new ChatProcess(temp.resolve("chat"), "Finn")) {
            chat.awaitLine(line -> line.startsWith("Parley chat as Finn (12D3KooW"));
            chat.send("/nearby");
            chat.awaitLine(line -> line.equals("no Parley peers nearby"));
            chat.send("/oops");
            chat.awaitLine(line -> line.equals("error: unknown command /oops; /help lists the commands"));
            assertThat(chat.endInput()).isZero();
        }
    }
}
