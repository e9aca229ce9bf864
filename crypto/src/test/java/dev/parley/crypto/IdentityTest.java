package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentityTest {
    private static final byte[] DATA = "noise-libp2p-static-key:0123456789".getBytes(StandardCharsets.UTF_8);

    @Test
    void tinkSigningKeyAndTransportKeyAreOneKeyWithOnePeerId() {
        Identity identity = Identity.generate();

        assertThat(identity.sign(DATA)).isEqualTo(identity.transportKey().sign(DATA));
        assertThat(identity.peerId()).isEqualTo(PeerId.fromPublicKey(identity.transportKey().publicKey()));
        assertThat(identity.publicKey().verify(DATA, identity.sign(DATA))).isTrue();
    }

    @Test
    void keepsAnExistingLibp2pKeyAndItsPeerId() {
        Ed25519PrivateKey existing = Ed25519PrivateKey.generate();

        Identity identity = Identity.fromEd25519(existing);

        assertThat(identity.peerId()).isEqualTo(PeerId.fromPublicKey(existing.publicKey()));
        assertThat(identity.sign(DATA)).isEqualTo(existing.sign(DATA));
        assertThat(identity.transportKey().seed()).isEqualTo(existing.seed());
    }

    @Test
    void anExistingKeyGetsAFreshHpkeKeyEachTime() {
        Ed25519PrivateKey existing = Ed25519PrivateKey.generate();

        Identity first = Identity.fromEd25519(existing);
        Identity second = Identity.fromEd25519(existing);

        assertThat(first.hpkePublicKey()).hasSize(Identity.HPKE_PUBLIC_KEY_SIZE).isNotEqualTo(second.hpkePublicKey());
    }

    @Test
    void generatedIdentitiesDiffer() {
        Identity a = Identity.generate();
        Identity b = Identity.generate();

        assertThat(a.peerId()).isNotEqualTo(b.peerId());
        assertThat(a.hpkePublicKey()).isNotEqualTo(b.hpkePublicKey());
    }

    @Test
    void textFormShowsThePeerIdOnly() {
        Identity identity = Identity.generate();

        assertThat(identity.toString()).isEqualTo("Identity[" + identity.peerId() + "]");
    }
}
