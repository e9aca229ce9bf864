package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.crypto.InvalidInviteException;
import dev.parley.crypto.InviteCode;
import dev.parley.transport.multiformats.Multiaddr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parley relay} between {@code parley chat} processes on loopback: a relay named with {@code --relay} is
 * reserved on and carries the chat; as a bootstrap peer it is also the DHT in which a peer publishes where it is.
 */
class RelayChatTest {
    @TempDir
    Path temp;

    @Test
    void aContactKnownOnlyByItsRelayAddressIsReachedThroughTheRelay() throws Exception {
        try (NodeProcess relay = new NodeProcess("relay", temp.resolve("relay"));
             ChatProcess bob = new ChatProcess(temp.resolve("bob"), "Bob", "--json", "--relay",
                     relay.addresses().getFirst());
             ChatProcess alice = new ChatProcess(temp.resolve("alice"), "Alice", "--json")) {
            String bobPeer = bob.await("ready").path("peerId").asText();
            InviteCode bobsInvite = InviteCode.parse(awaitInviteWithCircuit(bob));
            List<Multiaddr> circuits = bobsInvite.addresses().stream().filter(Multiaddr::isCircuit).toList();
            assertThat(circuits).as("the invite names Bob's relay address")
                    .allSatisfy(address -> assertThat(address.toString()).startsWith(relay.addresses().getFirst()));

            alice.await("ready");
            alice.send("/add " + InviteCode.create(bobsInvite.card(), circuits).toText());
            alice.send("/msg Bob hello through the relay");

            assertThat(bob.await("request").path("text").asText()).as("Alice is new to Bob")
                    .isEqualTo("hello through the relay");
            alice.await("delivered");
            JsonNode path = alice.await("connection", event -> event.path("peerId").asText().equals(bobPeer)
                    && event.path("path").asText().equals("relayed"));
            assertThat(path.path("address").asText()).contains("/p2p-circuit");
        }
    }

    @Test
    void aContactKnownOnlyByItsPeerIdIsFoundThroughTheDht() throws Exception {
        try (NodeProcess relay = new NodeProcess("relay", temp.resolve("relay"))) {
            String bootstrap = relay.addresses().getFirst();
            try (ChatProcess bob = new ChatProcess(temp.resolve("bob"), "Bob", "--json", "--bootstrap", bootstrap);
                 ChatProcess alice = new ChatProcess(temp.resolve("alice"), "Alice", "--json", "--bootstrap",
                         bootstrap)) {
                String bobPeer = bob.await("ready").path("peerId").asText();
                bob.send("/invite");
                InviteCode bobsInvite = InviteCode.parse(bob.await("invite").path("code").asText());
                alice.await("ready");

                alice.send("/add " + InviteCode.create(bobsInvite.card(), List.of()).toText());
                alice.send("/msg Bob found you");

                assertThat(bob.await("request").path("text").asText()).isEqualTo("found you");
                alice.await("delivered");
                alice.await("connection", event -> event.path("peerId").asText().equals(bobPeer)
                        && !event.path("path").asText().equals("none"));
            }
        }
    }

    /** Asks for the invite until it carries a circuit address: the reservation is made in the background. */
    private static String awaitInviteWithCircuit(ChatProcess chat) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int before = chat.events("invite").size();
            chat.send("/invite");
            chat.await("invite", node -> chat.events("invite").size() > before);
            String code = chat.events("invite").getLast().path("code").asText();
            try {
                if (InviteCode.parse(code).addresses().stream().anyMatch(Multiaddr::isCircuit)) {
                    return code;
                }
            } catch (InvalidInviteException e) {
                throw new AssertionError("parley chat printed an invalid invite: " + code, e);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no relay address in the invite after 100 tries");
    }
}
