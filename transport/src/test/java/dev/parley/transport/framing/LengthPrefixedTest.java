package dev.parley.transport.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.transport.memory.MemoryBudget;
import dev.parley.transport.memory.MemoryLimits;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Peer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A message read from a peer's stream is counted in the stream's memory scope while it is buffered
 * (transport/README.md, "Memory and deadlines"): reserved before the buffer exists, released once it is parsed, and a
 * refusal is the protocol's violation with nothing left reserved. Every protocol reads through it, so it also holds
 * their common rules: a length over the limit is refused with its number, a clean end is nothing to read, a cut one
 * an end of file, and writes leave the flush to the caller.
 */
class LengthPrefixedTest {
    private static final int MAX = 4096;
    private static final HopMessage MESSAGE = HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
            .setPeer(Peer.newBuilder().setId(ByteString.copyFrom(new byte[300]))).build();

    @Test
    void aMessageIsReservedWhileItIsParsedAndReleasedAfter() throws IOException {
        MemoryScope stream = streamScope(1024 * 1024);
        long before = stream.reserved();
        AtomicLong duringParse = new AtomicLong();

        InputStream in = encoded(MESSAGE);
        int length = (int) Varint.read(in);
        HopMessage read = LengthPrefixed.readBody(in, length, stream, "hop", ProtocolException::new, bytes -> {
            duringParse.set(stream.reserved());
            return HopMessage.parseFrom(bytes);
        });

        assertThat(read).isEqualTo(MESSAGE);
        assertThat(duringParse.get()).isEqualTo(before + MESSAGE.getSerializedSize());
        assertThat(stream.reserved()).isEqualTo(before);
    }

    @Test
    void aMessageTheBudgetRefusesIsAViolationAndLeavesNothingReserved() {
        MemoryBudget budget = new MemoryBudget(new MemoryLimits(1024, 1024, 1024, 256, Duration.ofSeconds(1)));
        MemoryScope stream = budget.openConnection("a peer").openStream("stream 1");

        assertThatThrownBy(() -> LengthPrefixed.read(encoded(MESSAGE), stream, HopMessage.parser(), MAX, "hop",
                ProtocolException::new))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(MESSAGE.getSerializedSize() + " bytes refused by the memory budget");

        assertThat(stream.reserved()).isZero();
        assertThat(budget.snapshot().reservedBytes()).isZero();
        assertThat(budget.snapshot().refusals()).isEqualTo(1);
    }

    @Test
    void aMessageThatDoesNotParseIsReleasedToo() {
        MemoryScope stream = streamScope(1024 * 1024);
        byte[] garbage = {5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

        assertThatThrownBy(() -> LengthPrefixed.read(new ByteArrayInputStream(garbage), stream, HopMessage.parser(),
                MAX, "hop", ProtocolException::new)).isInstanceOf(ProtocolException.class);

        assertThat(stream.reserved()).isZero();
    }

    @Test
    void theLastMessageOfAFinishedStreamIsReadCountedNowhereAbove() throws IOException {
        MemoryBudget budget = new MemoryBudget(new MemoryLimits(1024, 1024, 1024, 256, Duration.ofSeconds(1)));
        MemoryScope stream = budget.openConnection("a peer").openStream("stream 1");
        // Both sides closed: the session forgot the stream and closed its scope, yet its data stays readable.
        stream.close();

        HopMessage read = LengthPrefixed.read(encoded(MESSAGE), stream, HopMessage.parser(), MAX, "hop",
                ProtocolException::new);

        assertThat(read).isEqualTo(MESSAGE);
        assertThat(stream.reserved()).isZero();
        assertThat(budget.snapshot().reservedBytes()).isZero();
        assertThat(budget.snapshot().refusals()).isZero();
    }

    @Test
    void aLengthOverTheLimitIsAViolationNamingItBeforeAnythingIsReserved() {
        MemoryScope stream = streamScope(1024 * 1024);
        byte[] prefixOnly = Varint.encode(MAX + 1);

        assertThatThrownBy(() -> LengthPrefixed.read(new ByteArrayInputStream(prefixOnly), stream,
                HopMessage.parser(), MAX, "hop", ProtocolException::new))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("hop message of " + (MAX + 1) + " bytes exceeds the limit of " + MAX);
        assertThat(stream.reserved()).isZero();
    }

    @Test
    void aCleanEndIsNothingToReadOrEndAndAnEndOfFileToRead() throws IOException {
        InputStream oneMessage = encoded(MESSAGE);

        assertThat(LengthPrefixed.readOrEnd(oneMessage, MemoryScope.uncounted(), HopMessage.parser(), MAX, "hop",
                ProtocolException::new)).contains(MESSAGE);
        assertThat(LengthPrefixed.readOrEnd(oneMessage, MemoryScope.uncounted(), HopMessage.parser(), MAX, "hop",
                ProtocolException::new)).isEmpty();
        assertThatThrownBy(() -> LengthPrefixed.read(new ByteArrayInputStream(new byte[0]), MemoryScope.uncounted(),
                HopMessage.parser(), MAX, "hop", ProtocolException::new))
                .isInstanceOf(EOFException.class).hasMessageContaining("stream closed before a hop message");
    }

    @Test
    void anEndInsideTheMessageIsAnEndOfFileEvenToReadOrEnd() throws IOException {
        byte[] whole = encoded(MESSAGE).readAllBytes();
        byte[] cut = Arrays.copyOf(whole, whole.length - 1);

        assertThatThrownBy(() -> LengthPrefixed.readOrEnd(new ByteArrayInputStream(cut), MemoryScope.uncounted(),
                HopMessage.parser(), MAX, "hop", ProtocolException::new))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("after " + (MESSAGE.getSerializedSize() - 1) + " of "
                        + MESSAGE.getSerializedSize() + " bytes");
    }

    @Test
    void writesLeaveTheFlushToTheCallerAndRefuseAMessageOverTheLimit() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                written.write(b);
            }

            @Override
            public void flush() {
                flushes.incrementAndGet();
            }
        };

        LengthPrefixed.write(MESSAGE, MAX, out, "hop", ProtocolException::new);
        LengthPrefixed.write(MESSAGE, MAX, out, "hop", ProtocolException::new);
        assertThatThrownBy(() -> LengthPrefixed.write(MESSAGE, MESSAGE.getSerializedSize() - 1, out, "hop",
                ProtocolException::new))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("hop message of " + MESSAGE.getSerializedSize() + " bytes exceeds the limit");

        assertThat(flushes).hasValue(0);
        InputStream in = new ByteArrayInputStream(written.toByteArray());
        for (int i = 0; i < 2; i++) {
            assertThat(LengthPrefixed.read(in, MemoryScope.uncounted(), HopMessage.parser(), MAX, "hop",
                    ProtocolException::new)).isEqualTo(MESSAGE);
        }
        assertThat(in.read()).isEqualTo(-1);
    }

    private static MemoryScope streamScope(long streamBytes) {
        MemoryLimits limits = MemoryLimits.defaults();
        return new MemoryBudget(new MemoryLimits(limits.nodeBytes(), limits.peerBytes(), limits.connectionBytes(),
                streamBytes, limits.stallTimeout())).openConnection("a peer").openStream("stream 1");
    }

    private static InputStream encoded(HopMessage message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LengthPrefixed.write(message, MAX, out, "hop", ProtocolException::new);
        return new ByteArrayInputStream(out.toByteArray());
    }
}
