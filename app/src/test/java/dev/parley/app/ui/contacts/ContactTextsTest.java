package dev.parley.app.ui.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineException;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContactTextsTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Instant NOW = Instant.parse("2025-03-14T15:30:00Z");

    @Test
    void aShortIdKeepsBothEndsOfThePeerId() {
        PeerId peer = Identity.generate().peerId();
        String full = peer.toBase58();
        assertThat(ContactTexts.shortId(peer)).isEqualTo(full.substring(0, 6) + "…" + full.substring(full.length() - 6))
                .hasSize(13);
    }

    @Test
    void lastSeenSaysTodayYesterdayOrTheDate() {
        assertThat(ContactTexts.when(Instant.parse("2025-03-14T09:05:00Z"), NOW, UTC)).startsWith("today at ")
                .contains("9:05");
        assertThat(ContactTexts.when(Instant.parse("2025-03-13T23:59:00Z"), NOW, UTC)).startsWith("yesterday at ");
        assertThat(ContactTexts.when(Instant.parse("2025-01-02T10:00:00Z"), NOW, UTC)).contains("2025")
                .contains(" at ");
    }

    @Test
    void presenceAndNoConnection() {
        PeerId peer = Identity.generate().peerId();
        ContactInfo online = new ContactInfo(peer, "Bob", ContactStatus.ACCEPTED, true, Optional.of(NOW), 0);
        ContactInfo neverSeen = new ContactInfo(peer, "Bob", ContactStatus.ACCEPTED, false, Optional.empty(), 0);
        assertThat(ContactTexts.presence(online, NOW, UTC)).isEqualTo("Online");
        assertThat(ContactTexts.presence(neverSeen, NOW, UTC)).isEqualTo("Never connected");
        assertThat(ContactTexts.notConnected(Optional.empty(), NOW, UTC)).isEqualTo("Not connected (never seen)");
        assertThat(ContactTexts.notConnected(Optional.of(NOW.minusSeconds(60)), NOW, UTC))
                .startsWith("Not connected (last seen today at ").endsWith(")");
    }

    @Test
    void roundTripsShowATenthBelowTenMilliseconds() {
        assertThat(ContactTexts.roundTrip(Duration.ofNanos(420_000))).matches("0[.,]4 ms");
        assertThat(ContactTexts.roundTrip(Duration.ofMillis(23).plusNanos(600_000))).isEqualTo("24 ms");
        Multiaddr remote = Multiaddr.parse("/ip4/203.0.113.7/tcp/4001");
        assertThat(ContactTexts.connection(new ConnectionInfo(ConnectionInfo.Path.DIRECT, remote,
                Optional.of(Duration.ofMillis(24))))).isEqualTo("Direct · 24 ms round trip");
        assertThat(ContactTexts.connection(new ConnectionInfo(ConnectionInfo.Path.DIRECT, remote, Optional.empty())))
                .isEqualTo("Direct · no answer to ping");
    }

    @Test
    void problemsAreSentencesInTheEnginesWords() {
        assertThat(ContactTexts.problem(new EngineException("that is your own invite code")))
                .isEqualTo("That is your own invite code");
        assertThat(ContactTexts.problem(new IllegalStateException())).isEqualTo(
                "Parley could not do that (IllegalStateException)");
    }
}
