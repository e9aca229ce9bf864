package dev.parley.transport.noise;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.InMemoryPipe;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Two secure channels set up by a real handshake over in-memory endpoints, each side on a virtual thread. */
record ChannelPair(SecureChannel dialer, SecureChannel listener) {

    static ChannelPair establish() throws Exception {
        InMemoryPipe link = InMemoryPipe.open();
        return establish(link, link.dialer(), link.listener());
    }

    /**
     * Runs the handshake between {@code dialerEnd} and {@code listenerEnd}, which may wrap the ends of
     * {@code link}; cuts the link if either side fails, so the other does not wait forever.
     */
    static ChannelPair establish(InMemoryPipe link, InMemoryPipe.End dialerEnd, InMemoryPipe.End listenerEnd)
            throws Exception {
        Ed25519PrivateKey dialerKey = Ed25519PrivateKey.generate();
        Ed25519PrivateKey listenerKey = Ed25519PrivateKey.generate();
        PeerId listenerId = PeerId.fromPublicKey(listenerKey.publicKey());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<SecureChannel> listener = threads.submit(
                    () -> NoiseHandshake.respond(listenerEnd.in(), listenerEnd.out(), listenerKey));
            Future<SecureChannel> dialer = threads.submit(
                    () -> NoiseHandshake.initiate(dialerEnd.in(), dialerEnd.out(), dialerKey, listenerId));
            return new ChannelPair(dialer.get(10, SECONDS), listener.get(10, SECONDS));
        } catch (Exception e) {
            link.close();
            throw e;
        } finally {
            threads.shutdown();
        }
    }
}
