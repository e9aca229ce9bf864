package dev.parley.transport.yamux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.memory.MemoryBudget;
import dev.parley.transport.memory.MemoryScope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class YamuxFlowControlTest {
    private static final YamuxConfig CONFIG = YamuxConfig.defaults();
    private static final int WINDOW = YamuxConfig.SPEC_INITIAL_WINDOW;

    @Test
    @Timeout(120)
    void transfersOneGibibyteWithoutLossWithinTheWindow() throws Exception {
        int chunk = 64 * 1024;
        long chunks = (1L << 30) / chunk;
        byte[] template = YamuxSessionTest.randomBytes(chunk, 7);
        BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
        try (SessionPair pair = SessionPair.start(CONFIG, accepted::add)) {
            YamuxStream stream = pair.client().openStream();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    byte[] buffer = template.clone();
                    for (long i = 0; i < chunks; i++) {
                        ByteBuffer.wrap(buffer).putLong(0, i);
                        stream.out().write(buffer);
                    }
                    stream.closeWrite();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, Thread::startVirtualThread);

            YamuxStream remote = accepted.take();
            byte[] received = new byte[chunk];
            for (long i = 0; i < chunks; i++) {
                assertThat(remote.in().readNBytes(received, 0, chunk)).isEqualTo(chunk);
                assertThat(ByteBuffer.wrap(received).getLong(0)).isEqualTo(i);
                assertThat(Arrays.equals(received, 8, chunk, template, 8, chunk)).isTrue();
            }
            assertThat(remote.in().read()).isEqualTo(-1);
            sent.get();

            assertThat(remote.peakBufferedBytes()).isPositive().isLessThanOrEqualTo((int) remote.receiveWindow());
            assertThat(remote.receiveWindow()).isLessThanOrEqualTo(CONFIG.maxWindow());
        }
    }

    @Test
    @Timeout(30)
    void writerBlocksWhileThePeerDoesNotRead() throws Exception {
        BlockingQueue<YamuxStream> accepted = new LinkedBlockingQueue<>();
        try (SessionPair pair = SessionPair.start(CONFIG, accepted::add)) {
            YamuxStream stream = pair.client().openStream();
            AtomicLong written = new AtomicLong();
            byte[] piece = new byte[1024];
            int total = 4 * WINDOW;
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < total / piece.length; i++) {
                        stream.out().write(piece);
                        written.addAndGet(piece.length);
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, Thread::startVirtualThread);
            YamuxStream remote = accepted.take();

            awaitValue(remote::bufferedBytes, WINDOW);
            awaitValue(() -> (int) written.get(), WINDOW);
            assertThat(stream.sendCredit()).isZero();
            assertThat(sent).isNotDone();

            assertThat(remote.in().readNBytes(total)).hasSize(total);
            sent.get();
            assertThat(remote.peakBufferedBytes()).isLessThanOrEqualTo((int) remote.receiveWindow());
        }
    }

    @Test
    @Timeout(30)
    void aClosedReaderHandsTheWindowBackSoTheWriterFinishes() throws Exception {
        try (SessionPair pair = SessionPair.start(CONFIG, YamuxStream::close)) {
            YamuxStream stream = pair.client().openStream();

            stream.out().write(new byte[8 * WINDOW]);
            stream.closeWrite();

            assertThat(stream.in().read()).isEqualTo(-1);
            assertThat(pair.client().activeStreams()).isZero();
        }
    }

    @Test
    void windowDoublesWhenConsumedWithinFourRoundTripsUpToItsLimit() throws Exception {
        ReceiveBuffer buffer = new ReceiveBuffer(1, 4L * WINDOW, () -> 3_600_000_000_000L, unbudgeted());
        buffer.receive(reader(WINDOW / 2), WINDOW / 2);
        buffer.read(new byte[WINDOW / 2], 0, WINDOW / 2);

        assertThat(buffer.windowUpdate()).isEqualTo(2L * WINDOW - WINDOW / 2);
        assertThat(buffer.window()).isEqualTo(2L * WINDOW);

        fillAndDrain(buffer, 16 * WINDOW);
        assertThat(buffer.window()).isEqualTo(4L * WINDOW);
    }

    @Test
    void windowStaysWithoutARoundTripMeasurement() throws Exception {
        ReceiveBuffer buffer = new ReceiveBuffer(1, 4L * WINDOW, () -> 0, unbudgeted());

        fillAndDrain(buffer, WINDOW);

        assertThat(buffer.window()).isEqualTo(WINDOW);
    }

    @Test
    void windowUpdateWaitsForHalfTheWindow() throws Exception {
        ReceiveBuffer buffer = new ReceiveBuffer(1, WINDOW, () -> 0, unbudgeted());
        buffer.receive(reader(WINDOW), WINDOW);
        byte[] sink = new byte[WINDOW];

        buffer.read(sink, 0, WINDOW / 2 - 1);
        assertThat(buffer.windowUpdate()).isZero();
        buffer.read(sink, 0, 1);
        assertThat(buffer.windowUpdate()).isEqualTo(WINDOW / 2);
    }

    /** Receives {@code bytes} in frames, reading each out, and grants the window back as a reader would. */
    private static void fillAndDrain(ReceiveBuffer buffer, int bytes) throws IOException {
        int frame = 32 * 1024;
        byte[] sink = new byte[frame];
        for (int received = 0; received < bytes; received += frame) {
            buffer.receive(reader(frame), frame);
            buffer.read(sink, 0, frame);
            buffer.windowUpdate();
        }
    }

    private static MemoryScope unbudgeted() {
        return MemoryBudget.unlimited().openConnection("test").openStream("stream 1");
    }

    private static FrameReader reader(int length) {
        return new FrameReader(new ByteArrayInputStream(new byte[length]));
    }

    private static void awaitValue(IntSupplier value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (value.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(value.getAsInt()).isEqualTo(expected);
    }
}
