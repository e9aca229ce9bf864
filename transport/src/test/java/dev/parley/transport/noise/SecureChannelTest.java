package dev.parley.transport.noise;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.transport.testing.InMemoryPipe;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class SecureChannelTest {
    @AutoClose
    private final InMemoryPipe link = InMemoryPipe.open();
    @AutoClose("shutdownNow")
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void carriesDataBothWays() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());

        send(pair.dialer(), "hello from the dialer");
        send(pair.listener(), "hello from the listener");

        assertThat(receive(pair.listener(), 21)).isEqualTo("hello from the dialer");
        assertThat(receive(pair.dialer(), 23)).isEqualTo("hello from the listener");
    }

    @Test
    void carriesSingleBytes() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());

        pair.dialer().out().write(0xAB);
        pair.dialer().out().write(0x01);
        pair.dialer().out().flush();

        assertThat(pair.listener().in().read()).isEqualTo(0xAB);
        assertThat(pair.listener().in().available()).isEqualTo(1);
        assertThat(pair.listener().in().read()).isEqualTo(0x01);
    }

    @Test
    void splitsALargeWriteIntoFullFrames() throws Exception {
        RecordingOutputStream wire = new RecordingOutputStream(link.dialer().out());
        ChannelPair pair = ChannelPair.establish(link, new InMemoryPipe.End(link.dialer().in(), wire), link.listener());
        int handshakeBytes = wire.recorded().length;
        byte[] data = random(2 * NoiseFrame.MAX_PLAINTEXT_SIZE + 10);

        Future<byte[]> received = threads.submit(() -> pair.listener().in().readNBytes(data.length));
        pair.dialer().out().write(data);
        pair.dialer().out().flush();

        assertThat(received.get(10, SECONDS)).isEqualTo(data);
        byte[] transport = Arrays.copyOfRange(wire.recorded(), handshakeBytes, wire.recorded().length);
        assertThat(frameLengths(transport)).containsExactly(65535, 65535, 10 + NoiseFrame.TAG_SIZE);
    }

    @Test
    void buffersSmallWritesIntoOneFrameUntilFlushed() throws Exception {
        RecordingOutputStream wire = new RecordingOutputStream(link.dialer().out());
        ChannelPair pair = ChannelPair.establish(link, new InMemoryPipe.End(link.dialer().in(), wire), link.listener());
        int handshakeBytes = wire.recorded().length;

        pair.dialer().out().write("one ".getBytes(StandardCharsets.UTF_8));
        pair.dialer().out().write("two".getBytes(StandardCharsets.UTF_8));
        assertThat(wire.recorded()).hasSize(handshakeBytes);
        pair.dialer().out().flush();
        pair.dialer().out().flush();

        byte[] transport = Arrays.copyOfRange(wire.recorded(), handshakeBytes, wire.recorded().length);
        assertThat(frameLengths(transport)).containsExactly(7 + NoiseFrame.TAG_SIZE);
        assertThat(receive(pair.listener(), 7)).isEqualTo("one two");
    }

    @Test
    void echoesEightMebibytes() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());
        byte[] data = random(8 * 1024 * 1024);
        threads.submit(() -> echo(pair.listener()));

        Future<byte[]> echoed = threads.submit(() -> pair.dialer().in().readNBytes(data.length));
        Random chunks = new Random(7);
        for (int off = 0; off < data.length; ) {
            int len = Math.min(data.length - off, 1 + chunks.nextInt(200_000));
            pair.dialer().out().write(data, off, len);
            off += len;
        }
        pair.dialer().out().flush();

        assertThat(echoed.get(30, SECONDS)).isEqualTo(data);
    }

    @Test
    void readReturnsEndOfStreamWhenThePeerClosesBetweenFrames() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());

        send(pair.dialer(), "bye");
        pair.dialer().out().close();

        assertThat(pair.listener().in().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("bye");
        assertThat(pair.listener().in().read()).isEqualTo(-1);
    }

    @Test
    void refusesATamperedFrameAndStaysFailed() throws Exception {
        TamperingOutputStream tampering = new TamperingOutputStream(link.dialer().out());
        InMemoryPipe.End dialerEnd = new InMemoryPipe.End(link.dialer().in(), tampering);
        ChannelPair pair = ChannelPair.establish(link, dialerEnd, link.listener());

        tampering.arm();
        send(pair.dialer(), "pay 100 to bob");

        InputStream in = pair.listener().in();
        assertThatThrownBy(() -> in.read(new byte[64]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("failed authentication");
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("already failed");
    }

    @Test
    void refusesAReplayedFrame() throws Exception {
        RecordingOutputStream wire = new RecordingOutputStream(link.dialer().out());
        ChannelPair pair = ChannelPair.establish(link, new InMemoryPipe.End(link.dialer().in(), wire), link.listener());
        int handshakeBytes = wire.recorded().length;
        send(pair.dialer(), "once");
        assertThat(receive(pair.listener(), 4)).isEqualTo("once");

        byte[] frame = Arrays.copyOfRange(wire.recorded(), handshakeBytes, wire.recorded().length);
        link.dialer().out().write(frame);

        assertThatThrownBy(() -> pair.listener().in().read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void refusesAFrameShorterThanTheTag() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());

        link.dialer().out().write(new byte[] {0, 5, 1, 2, 3, 4, 5});

        assertThatThrownBy(() -> pair.listener().in().read())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Noise frame of 5 bytes is shorter than its 16-byte authentication tag");
    }

    @Test
    void reportsAFrameCutShortByTheEndOfTheStream() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());

        link.dialer().out().write(new byte[] {0, 40, 1, 2, 3});
        link.dialer().out().close();

        assertThatThrownBy(() -> pair.listener().in().read())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("announces 40 bytes, the stream ended after 3");
    }

    @Test
    void closeClosesTheRawStreams() throws Exception {
        ChannelPair pair = ChannelPair.establish(link, link.dialer(), link.listener());

        pair.dialer().close();

        assertThat(pair.listener().in().read()).isEqualTo(-1);
        assertThatThrownBy(() -> link.dialer().in().read()).isInstanceOf(IOException.class);
    }

    private static void send(SecureChannel channel, String text) throws IOException {
        channel.out().write(text.getBytes(StandardCharsets.UTF_8));
        channel.out().flush();
    }

    private static String receive(SecureChannel channel, int length) throws IOException {
        return new String(channel.in().readNBytes(length), StandardCharsets.UTF_8);
    }

    private static Void echo(SecureChannel channel) throws IOException {
        byte[] buffer = new byte[50_000];
        for (int n; (n = channel.in().read(buffer)) > 0; ) {
            channel.out().write(buffer, 0, n);
            channel.out().flush();
        }
        return null;
    }

    private static List<Integer> frameLengths(byte[] wire) {
        List<Integer> lengths = new ArrayList<>();
        for (int off = 0; off < wire.length; ) {
            int length = ((wire[off] & 0xFF) << 8) | (wire[off + 1] & 0xFF);
            lengths.add(length);
            off += NoiseFrame.HEADER_SIZE + length;
        }
        return lengths;
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }
}
