package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ContactInfo;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.transport.Stream;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A security review's attacks on the pushed card ({@code /parley/profile/push/1.0.0}, app/README.md, Protocols): a
 * card is taken only from its own peer, a contact or request, within 16 KiB, newer than the one held. Raw peers
 * holding Bob's key, or a stranger's, push to Alice's engine on loopback.
 */
class ProfilePushReviewTest extends TwoContactsTest {
    @Test
    void aPushedCardIsTakenOnlyFromItsOwnPeerWithinTheLimitAndNewerThanTheOneHeld() throws Exception {
        Identity carol = Identity.generate();
        try (RecordingPeer bobsKey = new RecordingPeer(bob.identity);
             RecordingPeer stranger = new RecordingPeer(carol)) {
            bobsKey.dial(alice.engine.listenAddresses().getFirst());
            stranger.dial(alice.engine.listenAddresses().getFirst());

            push(bobsKey, ContactCard.create(bob.identity, "Old Bob", Instant.now().minus(Duration.ofHours(1)))
                    .encode());
            assertThat(push(bobsKey, ContactCard.create(carol, "Carol, pushed by Bob").encode()))
                    .as("another peer's card").isFalse();
            assertThat(push(stranger, ContactCard.create(carol, "Carol the stranger").encode()))
                    .as("a stranger's push").isFalse();
            assertThat(push(bobsKey, new byte[ProfileProtocol.MAX_BYTES + 1])).as("a frame over 16 KiB").isFalse();
            assertThat(nameOfBobAtAlice()).isEqualTo("Bob");
            assertThat(alice.engine.contacts().get(carol.peerId())).isEmpty();

            assertThat(push(bobsKey, ContactCard.create(bob.identity, "Robert").encode())).isTrue();
            assertThat(nameOfBobAtAlice()).as("a newer card of Bob's own is taken").isEqualTo("Robert");
            push(bobsKey, ContactCard.create(bob.identity, "Old Bob", Instant.now().minus(Duration.ofHours(1)))
                    .encode());
            assertThat(nameOfBobAtAlice()).as("a rollback after the rename").isEqualTo("Robert");
        }
    }

    private String nameOfBobAtAlice() {
        return alice.engine.contacts().get(bob.peerId()).map(ContactInfo::name).orElseThrow();
    }

    /**
     * Pushes {@code encoded} as a card and waits until Alice's engine has handled it; whether it closed the stream
     * normally (took or ignored the card) rather than resetting it.
     */
    private boolean push(RecordingPeer from, byte[] encoded) {
        try (Stream stream = from.host().newStream(alice.peerId(), ProfileProtocol.PUSH_PROTOCOL_ID)) {
            Varint.write(encoded.length, stream.out());
            stream.out().write(encoded);
            stream.closeWrite();
            return stream.in().read() == -1;
        } catch (IOException e) {
            return false;
        }
    }
}
