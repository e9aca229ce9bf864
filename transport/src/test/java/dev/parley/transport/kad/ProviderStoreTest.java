package dev.parley.transport.kad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProviderStoreTest {
    private static final Duration VALIDITY = Duration.ofHours(48);
    private static final byte[] KEY = KadDht.peerKey(newPeer());
    private final AtomicLong now = new AtomicLong();

    @Test
    void recordsExpireAfterTheValidityPeriodAndRenewalExtendsThem() {
        ProviderStore store = new ProviderStore(VALIDITY, 10, 10, now::get);
        ProviderRecord first = record();
        ProviderRecord second = record();
        store.add(KEY, first);
        now.addAndGet(VALIDITY.toNanos() / 2);
        store.add(KEY, second);
        assertThat(store.get(KEY)).containsExactly(first, second);

        now.addAndGet(VALIDITY.toNanos() / 2);
        assertThat(store.get(KEY)).containsExactly(second);
        store.add(KEY, second);
        now.addAndGet(VALIDITY.toNanos() - 1);
        assertThat(store.get(KEY)).containsExactly(second);
        now.incrementAndGet();
        assertThat(store.get(KEY)).isEmpty();
    }

    @Test
    void aFullStoreRefusesNewKeysUntilRecordsExpire() {
        ProviderStore store = new ProviderStore(VALIDITY, 2, 10, now::get);
        assertThat(store.add(new byte[] {1}, record())).isTrue();
        assertThat(store.add(new byte[] {2}, record())).isTrue();
        assertThat(store.add(new byte[] {3}, record())).isFalse();
        assertThat(store.add(new byte[] {1}, record())).as("a known key takes more providers").isTrue();

        now.addAndGet(VALIDITY.toNanos());
        assertThat(store.add(new byte[] {3}, record())).isTrue();
        assertThat(store.keyCount()).isEqualTo(1);
    }

    @Test
    void aKeyTakesAtMostItsShareOfProviders() {
        ProviderStore store = new ProviderStore(VALIDITY, 10, 2, now::get);
        ProviderRecord first = record();
        assertThat(store.add(KEY, first)).isTrue();
        assertThat(store.add(KEY, record())).isTrue();
        assertThat(store.add(KEY, record())).isFalse();
        assertThat(store.add(KEY, first)).as("a known provider renews").isTrue();
        assertThat(store.get(KEY)).hasSize(2).contains(first);
    }

    private static ProviderRecord record() {
        return new ProviderRecord(newPeer(), List.of(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001")));
    }

    private static PeerId newPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }
}
