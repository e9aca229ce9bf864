package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.crypto.InviteCode;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mallory alters Bob's invite code before it reaches Alice: beside Bob's real address she puts addresses of her
 * own choosing, which Alice's node would dial whenever it looks for Bob, telling whoever listens there when Alice
 * is online and from where. An invite's addresses are hints: tried, and dropped once Bob says where he listens.
 */
class InviteAddressHintsTest {
    @TempDir
    Path temp;

    /** A loopback address nothing listens on: a dial there fails at once. */
    private static Multiaddr madeUp(int host) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return Multiaddr.parse("/ip4/127.0.0." + host + "/tcp/" + port);
    }

    private static String code(TestEngine owner, List<Multiaddr> addresses) {
        return InviteCode.create(owner.engine.card(), addresses).toText();
    }

    private static List<String> stored(TestEngine at, PeerId peer) {
        return at.engine.store().contacts().addresses(peer.toBase58());
    }

    private static List<String> text(List<Multiaddr> addresses) {
        return addresses.stream().map(Multiaddr::toString).toList();
    }

    /** Alice writes to Bob, which connects her node to his, and waits until Bob has said where he listens. */
    private static void reach(TestEngine alice, TestEngine bob) throws Exception {
        alice.engine.chat().send(bob.peerId(), "hello Bob");
        bob.events.await(EngineEvent.Request.class, 1);
        alice.engine.node().identify().awaitInfo(bob.peerId(), EventLog.WAIT);
    }

    @Test
    void anAddressBobNeverClaimedIsDroppedOnceBobIsReached() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            Multiaddr bogus = madeUp(1);
            List<Multiaddr> real = bob.engine.inviteCode().addresses();
            List<Multiaddr> altered = new ArrayList<>(List.of(bogus));
            altered.addAll(real);

            alice.engine.contacts().add(code(bob, altered));
            assertThat(stored(alice, bob.peerId())).contains(bogus.toString());
            reach(alice, bob);

            assertThat(stored(alice, bob.peerId())).doesNotContain(bogus.toString()).containsAll(text(real));
            assertThat(alice.engine.host().addressBook().addresses(bob.peerId())).doesNotContain(bogus)
                    .containsAll(real);
            alice.engine.close();
            try (TestEngine aliceAgain = alice.restart()) {
                assertThat(aliceAgain.engine.host().addressBook().addresses(bob.peerId())).doesNotContain(bogus);
            }
        }
    }

    /**
     * Mallory's address forwards to Bob's real one, so dialling it reaches Bob, and she sees each connection. That
     * a dial reached Bob does not make her address his: only Bob's own word does.
     */
    @Test
    void anAddressThatOnlyForwardsToBobIsDroppedToo() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob");
             Forwarder mallorys = new Forwarder(bob.engine.inviteCode().addresses().getFirst())) {
            alice.engine.contacts().add(code(bob, List.of(mallorys.address())));
            reach(alice, bob);

            assertThat(mallorys.connections()).isPositive();
            assertThat(stored(alice, bob.peerId())).doesNotContain(mallorys.address().toString())
                    .containsAll(text(bob.engine.inviteCode().addresses()));
            assertThat(alice.engine.host().addressBook().addresses(bob.peerId())).doesNotContain(mallorys.address());
        }
    }

    @Test
    void aReplayedInviteFullOfMadeUpAddressesNeitherStaysNorPushesOutTheRealOnes() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            List<Multiaddr> real = bob.engine.inviteCode().addresses();
            alice.engine.contacts().add(code(bob, real));
            reach(alice, bob);
            List<Multiaddr> bogus = new ArrayList<>();
            for (int host : IntStream.rangeClosed(2, InviteCode.MAX_ADDRESSES + 1).toArray()) {
                bogus.add(madeUp(host));
            }

            alice.engine.contacts().add(code(bob, bogus));

            assertThat(stored(alice, bob.peerId())).containsExactlyInAnyOrderElementsOf(text(real));
            assertThat(alice.engine.host().addressBook().addresses(bob.peerId())).doesNotContainAnyElementsOf(bogus);
        }
    }

    @Test
    void hintsTheContactNeverConfirmsGoAfterTheirLifetime() throws Exception {
        try (TestEngine alice = TestEngine.start(temp, "Alice"); TestEngine bob = TestEngine.start(temp, "Bob")) {
            Multiaddr bogus = madeUp(1);
            bob.engine.close();
            alice.engine.contacts().add(code(bob, List.of(bogus)));
            ContactAddresses addresses = new ContactAddresses(alice.engine.store(), InstantSource.system());

            addresses.forgetStaleHints(Instant.now().plus(ContactAddresses.HINT_LIFETIME).minusSeconds(60));
            assertThat(stored(alice, bob.peerId())).containsExactly(bogus.toString());
            addresses.forgetStaleHints(Instant.now().plus(ContactAddresses.HINT_LIFETIME).plusSeconds(60));
            assertThat(stored(alice, bob.peerId())).isEmpty();
        }
    }

    /** What Mallory runs at the address she made up: TCP on loopback, piped both ways to Bob's real address. */
    private static final class Forwarder implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final int targetPort;

        Forwarder(Multiaddr target) throws IOException {
            this.targetPort = Integer.parseInt(target.valueOf(Protocol.TCP).orElseThrow());
            Thread.ofVirtual().name("forwarder").start(this::accept);
        }

        Multiaddr address() {
            return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + server.getLocalPort());
        }

        int connections() {
            return sockets.size() / 2;
        }

        private void accept() {
            try {
                while (true) {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    sockets.add(in);
                    sockets.add(out);
                    pipe(in, out);
                    pipe(out, in);
                }
            } catch (IOException closed) {
                // close() ends the forwarder by closing its server socket.
            }
        }

        private static void pipe(Socket from, Socket to) {
            Thread.ofVirtual().name("forwarder pipe").start(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                    to.shutdownOutput();
                } catch (IOException closed) {
                    // One side went away; close() tidies up the other.
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
