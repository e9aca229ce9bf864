package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.Connection;
import dev.parley.transport.ConnectionListener;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multistream.MultistreamSelect;
import dev.parley.transport.noise.NoiseHandshake;
import dev.parley.transport.noise.SecureChannel;
import dev.parley.transport.yamux.YamuxConfig;
import dev.parley.transport.yamux.YamuxSession;
import dev.parley.transport.yamux.YamuxStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stranger that takes the streams we open to it and never says a word on them, not even multistream-select's
 * answer, while its connection stays up (its Yamux answers our keep-alive pings). Asking it for its card must still
 * end within {@link ProfileProtocol#TIMEOUT}: the card's deadline covers the whole exchange, the negotiation included.
 */
class ProfileFetchAttackTest extends TwoContactsTest {
    private final Identity mallory = Identity.generate();
    private final CountDownLatch end = new CountDownLatch(1);
    private Socket socket;
    private YamuxSession session;
    private final CompletableFuture<Connection> bobsConnection = new CompletableFuture<>();

    @AfterEach
    void stopMallory() throws IOException {
        end.countDown();
        if (session != null) {
            session.close();
        }
        if (socket != null) {
            socket.close();
        }
    }

    /** Mallory dials Bob over raw TCP, Noise and Yamux; each stream Bob opens to her is held and never answered. */
    private void malloryConnectsToBob() throws IOException {
        bob.engine.host().addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionOpened(Connection connection) {
                if (connection.remotePeer().equals(mallory.peerId())) {
                    bobsConnection.complete(connection);
                }
            }
        });
        Multiaddr bobAt = bob.engine.listenAddresses().getFirst();
        socket = new Socket();
        socket.connect(bobAt.toSocketAddress(), 10_000);
        InputStream rawIn = new BufferedInputStream(socket.getInputStream());
        OutputStream rawOut = new BufferedOutputStream(socket.getOutputStream());
        MultistreamSelect.select(rawIn, rawOut, List.of(NoiseHandshake.PROTOCOL_ID));
        SecureChannel channel = NoiseHandshake.initiate(rawIn, rawOut, mallory.transportKey(), bob.peerId());
        MultistreamSelect.select(channel.in(), channel.out(), List.of(YamuxSession.PROTOCOL_ID));
        session = new YamuxSession(channel.in(), channel.out(), true, YamuxConfig.defaults(), this::holdSilently);
        session.start();
    }

    private void holdSilently(YamuxStream stream) {
        try {
            end.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bob's side of Mallory's connection, once his host has it: it may open just after her dial returns. */
    private Connection bobsConnectionToMallory() throws Exception {
        return bobsConnection.get(EventLog.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aStrangerThatNeverAnswersTheNegotiationDoesNotHoldTheFetchPastItsTimeout() throws Exception {
        malloryConnectsToBob();
        Connection toMallory = bobsConnectionToMallory();

        CompletableFuture<ContactCard> fetch = CompletableFuture.supplyAsync(() -> {
            try {
                return ProfileProtocol.fetch(toMallory, Duration.ofMillis(300));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        assertThatThrownBy(() -> fetch.get(5, TimeUnit.SECONDS))
                .as("a fetch with a deadline of 300 ms, 5 s later")
                .hasCauseInstanceOf(UncheckedIOException.class);
        assertThat(bob.engine.host().connection(mallory.peerId())).as("Mallory's connection is up throughout")
                .isPresent();
    }

    @Test
    void aStrangersFirstMessageWhoseCardNeverComesHasItsStreamResetWithinTheTimeout() throws Exception {
        malloryConnectsToBob();
        YamuxStream chat = session.openStream();
        MultistreamSelect.select(chat.in(), chat.out(), List.of(ChatFrames.PROTOCOL_ID));
        byte[] envelope = new TinkEnvelopeSealer().sealDirect(mallory, bob.engine.card(),
                HeaderFields.of(ConversationId.direct(mallory.peerId(), bob.peerId()), 1, EnvelopeKind.TEXT),
                Text.newBuilder().setBody("hello Bob").build().toByteArray()).encode();
        ChatFrames.write(ChatFrames.envelope(envelope), chat.out());

        // Bob asks Mallory for her card before he takes her message; she never gives it, so he refuses the message.
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return chat.in().read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThatThrownBy(() -> read.get(ProfileProtocol.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                .as("Mallory's chat stream, %s s after her message", ProfileProtocol.TIMEOUT.toSeconds() + 5)
                .rootCause().isInstanceOf(IOException.class).hasMessageContaining("reset");
        assertThat(bob.engine.contacts().requests()).isEmpty();
    }
}
