package dev.parley.app.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Pairing codes and deposit capabilities as bytes and text: they round-trip, and garbage is a clear error. */
class MailboxCodesTest {
    private static final PeerId MAILBOX = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private static final PeerId OWNER = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private static final List<Multiaddr> ADDRESSES = List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"),
            Multiaddr.parse("/ip6/::1/tcp/4002"));

    @Test
    void aPairingCodeRoundTripsInEitherCaseAndAcrossLineBreaks() throws Exception {
        PairingCode code = new PairingCode(MAILBOX, ADDRESSES, MailboxServer.newPairingSecret());
        String text = code.toText();
        assertThat(text).startsWith("parley-mailbox:");
        PairingCode parsed = PairingCode.parse(text.toUpperCase(Locale.ROOT).substring(0, 30) + "\n  "
                + text.toUpperCase(Locale.ROOT).substring(30));
        assertThat(parsed.mailbox()).isEqualTo(MAILBOX);
        assertThat(parsed.addresses()).isEqualTo(ADDRESSES);
        assertThat(parsed.secret()).isEqualTo(code.secret());
    }

    @Test
    void garbageIsNoPairingCode() {
        String text = new PairingCode(MAILBOX, ADDRESSES, MailboxServer.newPairingSecret()).toText();
        assertThatThrownBy(() -> PairingCode.parse("parley:abcdef")).isInstanceOf(InvalidMailboxCodeException.class)
                .hasMessageContaining("starts with 'parley-mailbox:'");
        assertThatThrownBy(() -> PairingCode.parse(text.substring(0, text.length() - 3)))
                .isInstanceOf(InvalidMailboxCodeException.class).hasMessageContaining("mistyped or incomplete");
        int middle = text.length() / 2;
        char changed = text.charAt(middle) == 'a' ? 'b' : 'a';
        assertThatThrownBy(() -> PairingCode.parse(text.substring(0, middle) + changed + text.substring(middle + 1)))
                .isInstanceOf(InvalidMailboxCodeException.class).hasMessageContaining("checksum");
        assertThatThrownBy(() -> PairingCode.parse("parley-mailbox:!!!")).isInstanceOf(InvalidMailboxCodeException.class);
        assertThatThrownBy(() -> PairingCode.parse("parley-mailbox:" + "a".repeat(5000)))
                .isInstanceOf(InvalidMailboxCodeException.class).hasMessageContaining("longer than any");
    }

    @Test
    void aCapabilityRoundTripsAndItsTagHoldsOnlyForItsOwnerIdAndKey() throws Exception {
        byte[] key = MailboxServer.newPairingSecret();
        DepositCapability capability = DepositCapability.mint(key, OWNER, MAILBOX, ADDRESSES);
        DepositCapability decoded = DepositCapability.decode(capability.encode());
        assertThat(decoded).isEqualTo(capability);
        assertThat(decoded.addresses()).isEqualTo(ADDRESSES);
        assertThat(DepositCapability.tagMatches(key, OWNER, decoded.capId(), decoded.tag())).isTrue();
        assertThat(DepositCapability.tagMatches(key, MAILBOX, decoded.capId(), decoded.tag())).as("another owner").isFalse();
        assertThat(DepositCapability.tagMatches(MailboxServer.newPairingSecret(), OWNER, decoded.capId(), decoded.tag()))
                .as("another key").isFalse();
        byte[] otherId = decoded.capId();
        otherId[0] ^= 1;
        assertThat(DepositCapability.tagMatches(key, OWNER, otherId, decoded.tag())).as("another id").isFalse();
        assertThat(DepositCapability.mint(key, OWNER, MAILBOX, ADDRESSES).capId()).as("ids are random")
                .isNotEqualTo(capability.capId());
    }

    @Test
    void garbageIsNoCapability() {
        assertThatThrownBy(() -> DepositCapability.decode(new byte[] {1, 2, 3, 4, 5}))
                .isInstanceOf(InvalidMailboxCodeException.class).hasMessageContaining("does not decode");
        assertThatThrownBy(() -> DepositCapability.decode(new byte[DepositCapability.MAX_ENCODED_BYTES + 1]))
                .isInstanceOf(InvalidMailboxCodeException.class).hasMessageContaining("larger than any");
    }
}
