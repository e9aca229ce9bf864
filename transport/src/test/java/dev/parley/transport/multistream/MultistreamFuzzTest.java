package dev.parley.transport.multistream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.transport.multiformats.Varint;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the multistream-select message codec: a message or an {@code ls} list either reads or is an
 * {@link IOException} ({@link MultistreamException} for a malformed one). A message whose text is valid UTF-8
 * encodes back to the bytes it was read from. Corpus in {@code MultistreamFuzzTestInputs/<method>/};
 * transport/README.md, Fuzzing.
 */
class MultistreamFuzzTest {

    @FuzzTest
    void message(byte[] data) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        String text;
        try {
            text = MultistreamMessages.read(in);
        } catch (IOException refused) {
            return;
        }
        byte[] consumed = Arrays.copyOf(data, data.length - in.available());
        int bodyLength = (int) Varint.read(ByteBuffer.wrap(consumed));
        if (isUtf8(Arrays.copyOfRange(consumed, consumed.length - bodyLength, consumed.length))) {
            assertThat(MultistreamMessages.encode(text)).isEqualTo(consumed);
        }
    }

    @FuzzTest
    void list(byte[] data) {
        try {
            List<String> protocols = MultistreamMessages.readList(new ByteArrayInputStream(data));
            assertThat(protocols).doesNotContainNull();
        } catch (IOException refused) {
            // the documented refusal
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        FuzzSeeds.of(MultistreamFuzzTest.class, "message").add(MultistreamMessages.encode("/multistream/1.0.0"))
                .add(MultistreamMessages.encode("/noise")).add(MultistreamMessages.encode("na"))
                .add(MultistreamMessages.encode("ls")).add(MultistreamMessages.encode("/ipfs/id/1.0.0/ünïcode"));
        FuzzSeeds.of(MultistreamFuzzTest.class, "list")
                .add(MultistreamMessages.encodeList(java.util.List.of("/ipfs/ping/1.0.0", "/ipfs/id/1.0.0")))
                .add(MultistreamMessages.encodeList(java.util.List.of()));
    }
}
