package dev.parley.transport.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultistreamSelectTest {
    private static final String HEADER = MultistreamSelect.PROTOCOL_ID;

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private static ByteArrayInputStream received(String... messages) {
        return new ByteArrayInputStream(MultistreamMessages.encode(messages));
    }

    private static ByteArrayInputStream received(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private String respond(ByteArrayInputStream in, String... supported) throws IOException {
        return MultistreamSelect.respond(in, sent, Set.of(supported)::contains, () -> List.of(supported));
    }

    @Test
    void messagesMatchTheSpecExamples() {
        assertThat(HexFormat.of().formatHex(MultistreamMessages.encode("na"))).isEqualTo("036e610a");
        assertThat(HexFormat.of().formatHex(MultistreamMessages.encode("ls"))).isEqualTo("036c730a");
        assertThat(MultistreamMessages.encode(HEADER)).startsWith(0x13).endsWith('\n');
    }

    @Test
    void initiatorSendsHeaderAndFirstProposalInOneWrite() throws IOException {
        String chosen = MultistreamSelect.select(received(HEADER, "/noise"), sent, List.of("/noise"));

        assertThat(chosen).isEqualTo("/noise");
        assertThat(sent.toByteArray()).isEqualTo(MultistreamMessages.encode(HEADER, "/noise"));
    }

    @Test
    void initiatorFallsBackToItsNextChoiceAfterNa() throws IOException {
        String chosen = MultistreamSelect.select(received(HEADER, "na", "/b"), sent, List.of("/a", "/b"));

        assertThat(chosen).isEqualTo("/b");
        assertThat(sent.toByteArray()).isEqualTo(MultistreamMessages.encode(HEADER, "/a", "/b"));
    }

    @Test
    void initiatorReportsEveryRefusedProtocol() {
        assertThatThrownBy(() -> MultistreamSelect.select(received(HEADER, "na", "na"), sent, List.of("/a", "/b")))
                .isInstanceOf(ProtocolNotSupportedException.class)
                .hasMessageContaining("/a").hasMessageContaining("/b");
    }

    @Test
    void initiatorRejectsAnAnswerThatIsNeitherItsProposalNorNa() {
        assertThatThrownBy(() -> MultistreamSelect.select(received(HEADER, "/other"), sent, List.of("/a")))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("/other");
    }

    @Test
    void responderAnswersNaThenEchoesTheSupportedProposal() throws IOException {
        String chosen = respond(received(HEADER, "/unknown", "/a"), "/a");

        assertThat(chosen).isEqualTo("/a");
        assertThat(sent.toByteArray()).isEqualTo(MultistreamMessages.encode(HEADER, "na", "/a"));
    }

    @Test
    void responderListsItsProtocolsAndListingParsesBack() throws IOException {
        respond(received(HEADER, "ls", "/a"), "/a", "/b");

        ByteArrayInputStream reply = received(sent.toByteArray());
        assertThat(MultistreamMessages.read(reply)).isEqualTo(HEADER);
        List<String> listed = MultistreamMessages.readList(reply);
        assertThat(listed).containsExactlyInAnyOrder("/a", "/b");
        assertThat(MultistreamMessages.read(reply)).isEqualTo("/a");
    }

    @Test
    void listAsksWithLs() throws IOException {
        byte[] answer = concat(MultistreamMessages.encode(HEADER), MultistreamMessages.encodeList(List.of("/x", "/y")));

        List<String> listed = MultistreamSelect.list(received(answer), sent);

        assertThat(listed).containsExactly("/x", "/y");
        assertThat(sent.toByteArray()).isEqualTo(MultistreamMessages.encode(HEADER, "ls"));
    }

    @Test
    void bytesAfterTheNegotiationStayInTheStream() throws IOException {
        byte[] payload = {1, 2, 3};
        ByteArrayInputStream in = received(concat(MultistreamMessages.encode(HEADER, "/a"), payload));

        respond(in, "/a");

        assertThat(in.readAllBytes()).isEqualTo(payload);
    }

    @Test
    void wrongHeaderIsRefused() {
        assertThatThrownBy(() -> respond(received("/multistream/2.0.0", "/a"), "/a"))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("/multistream/2.0.0");
    }

    @Test
    void oversizeLengthPrefixIsRefusedWithTheNumber() {
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};

        assertThatThrownBy(() -> respond(received(huge), "/a"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(0xfffffff));
    }

    @Test
    void messageWithoutNewlineIsRefused() {
        byte[] noNewline = {2, 'h', 'i'};

        assertThatThrownBy(() -> respond(received(noNewline), "/a"))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("newline");
    }

    @Test
    void truncatedMessageIsAnEof() {
        byte[] truncated = {10, 'a', 'b'};

        assertThatThrownBy(() -> respond(received(truncated), "/a")).isInstanceOf(EOFException.class);
    }

    @Test
    void endlessProposalsAreCutOff() {
        String[] messages = new String[MultistreamSelect.MAX_PROPOSALS + 2];
        messages[0] = HEADER;
        for (int i = 1; i < messages.length; i++) {
            messages[i] = "/nope/" + i;
        }

        assertThatThrownBy(() -> respond(received(messages), "/a"))
                .isInstanceOf(MultistreamException.class)
                .hasMessageContaining("proposals");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
