package dev.parley.transport.yamux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class YamuxSessionTest {
    private static final YamuxConfig CONFIG = YamuxConfig.defaults();

    @Test
    void dialerOpensOddStreamThatListenerAccepts() throws Exception {
        BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
        try (SessionPair pair = SessionPair.start(CONFIG, accepted::add)) {
            YamuxStream stream = pair.client().openStream();
            stream.out().write("hello".getBytes(UTF_8));
            stream.closeWrite();

            YamuxStream remote = accepted.take();
            assertThat(stream.id()).isOdd().isEqualTo(remote.id());
            assertThat(new String(remote.in().readAllBytes(), UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void listenerOpensEvenStreams() throws Exception {
        BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
        try (SessionPair pair = SessionPair.start(CONFIG, accepted::add, stream -> { })) {
            YamuxStream first = pair.server().openStream();
            YamuxStream second = pair.server().openStream();

            assertThat(first.id()).isEqualTo(2);
            assertThat(second.id()).isEqualTo(4);
            assertThat(List.of(accepted.take().id(), accepted.take().id())).containsExactlyInAnyOrder(2, 4);
        }
    }

    @Test
    void echoesData() throws Exception {
        byte[] message = randomBytes(300_000, 1);
        try (SessionPair pair = SessionPair.start(CONFIG, YamuxSessionTest::echo)) {
            YamuxStream stream = pair.client().openStream();
            Future<byte[]> reply = readAllInBackground(stream);
            stream.out().write(message);
            stream.closeWrite();

            assertThat(reply.get()).isEqualTo(message);
        }
    }

    @Test
    void halfCloseLeavesTheOtherDirectionOpen() throws Exception {
        CountDownLatch serverDone = new CountDownLatch(1);
        try (SessionPair pair = SessionPair.start(CONFIG, stream -> {
            try {
                byte[] request = stream.in().readAllBytes();
                stream.out().write(("got " + new String(request, UTF_8)).getBytes(UTF_8));
                stream.closeWrite();
                serverDone.countDown();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        })) {
            YamuxStream stream = pair.client().openStream();
            stream.out().write("question".getBytes(UTF_8));
            stream.closeWrite();
            assertThatThrownBy(() -> stream.out().write(1)).hasMessageContaining("closed for writing");

            assertThat(new String(stream.in().readAllBytes(), UTF_8)).isEqualTo("got question");
            assertThat(pair.client().activeStreams()).isZero();
            serverDone.await();
            assertThat(pair.server().activeStreams()).isZero();
        }
    }

    @Test
    void resetReachesThePeer() throws Exception {
        CompletableFuture<IOException> serverError = new CompletableFuture<>();
        try (SessionPair pair = SessionPair.start(CONFIG, stream -> {
            try {
                stream.in().readAllBytes();
                serverError.completeExceptionally(new AssertionError("read ended without an error"));
            } catch (IOException e) {
                serverError.complete(e);
            }
        })) {
            YamuxStream stream = pair.client().openStream();
            stream.out().write(new byte[1000]);
            stream.reset();

            assertThat(serverError.get()).hasMessageContaining("reset by the peer");
            assertThatThrownBy(() -> stream.out().write(1)).hasMessageContaining("reset locally");
            assertThatThrownBy(() -> stream.in().read()).hasMessageContaining("reset locally");
            assertThat(pair.client().activeStreams()).isZero();
        }
    }

    @Test
    void thousandConcurrentStreamsEachEcho() throws Exception {
        int streams = 1000;
        YamuxConfig config = CONFIG.withMaxInboundStreams(streams);
        try (SessionPair pair = SessionPair.start(config, YamuxSessionTest::echo);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                byte[] message = randomBytes(20_000, i);
                results.add(threads.submit(() -> {
                    YamuxStream stream = pair.client().openStream();
                    Future<byte[]> reply = readAllInBackground(stream);
                    stream.out().write(message);
                    stream.closeWrite();
                    return Arrays.equals(reply.get(), message);
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
            assertThat(pair.client().activeStreams()).isZero();
        }
    }

    @Test
    void inboundStreamsBeyondTheLimitAreReset() throws Exception {
        AtomicInteger served = new AtomicInteger();
        try (SessionPair pair = SessionPair.start(CONFIG.withMaxInboundStreams(2), stream -> {
            served.incrementAndGet();
            echo(stream);
        })) {
            YamuxStream first = pair.client().openStream();
            YamuxStream second = pair.client().openStream();
            YamuxStream third = pair.client().openStream();

            assertThatThrownBy(() -> third.in().read()).hasMessageContaining("reset by the peer");
            assertThat(pair.server().activeStreams()).isEqualTo(2);

            first.closeWrite();
            assertThat(first.in().read()).isEqualTo(-1);
            YamuxStream fourth = pair.client().openStream();
            fourth.out().write(42);
            assertThat(fourth.in().read()).isEqualTo(42);
            assertThat(served).hasValue(3);
            second.close();
        }
    }

    @Test
    void pingMeasuresARoundTrip() throws Exception {
        try (SessionPair pair = SessionPair.start(CONFIG, stream -> { })) {
            Duration rtt = pair.client().ping();

            assertThat(rtt).isPositive().isLessThan(CONFIG.pingTimeout());
            assertThat(pair.server().ping()).isPositive();
        }
    }

    @Test
    void closeEndsStreamsAndTellsThePeer() throws Exception {
        BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
        try (SessionPair pair = SessionPair.start(CONFIG, accepted::add)) {
            CountDownLatch clientClosed = new CountDownLatch(1);
            AtomicInteger serverCloses = new AtomicInteger();
            pair.client().onClose(clientClosed::countDown);
            pair.server().onClose(serverCloses::incrementAndGet);
            YamuxStream finished = pair.client().openStream();
            finished.out().write("last words".getBytes(UTF_8));
            finished.closeWrite();
            YamuxStream unfinished = pair.client().openStream();
            // Each inbound stream is handed over on a thread of its own, so they may arrive in either order.
            YamuxStream first = accepted.take();
            YamuxStream second = accepted.take();
            YamuxStream remoteFinished = first.id() == finished.id() ? first : second;
            YamuxStream remoteUnfinished = first.id() == finished.id() ? second : first;
            assertThat(remoteFinished.in().readNBytes(4)).isEqualTo("last".getBytes(UTF_8));

            pair.server().close();
            pair.server().close();

            assertThat(pair.server().isOpen()).isFalse();
            assertThat(serverCloses).hasValue(1);
            assertThat(new String(remoteFinished.in().readAllBytes(), UTF_8)).isEqualTo(" words");
            assertThatThrownBy(() -> remoteUnfinished.in().read()).hasMessageContaining("session closed");
            clientClosed.await();
            assertThat(pair.client().isOpen()).isFalse();
            assertThatThrownBy(() -> unfinished.in().read()).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> pair.client().openStream()).hasMessageContaining("closed");
            AtomicInteger late = new AtomicInteger();
            pair.server().onClose(late::incrementAndGet);
            assertThat(late).hasValue(1);
        }
    }

    static void echo(YamuxStream stream) {
        try (stream) {
            stream.in().transferTo(stream.out());
        } catch (IOException e) {
            stream.reset();
        }
    }

    static Future<byte[]> readAllInBackground(YamuxStream stream) {
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                all.complete(stream.in().readAllBytes());
            } catch (IOException e) {
                all.completeExceptionally(e);
            }
        });
        return all;
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
