package dev.parley.transport.mdns;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DnsCodecTest {
    private static final DnsName SERVICE = DnsName.parse("_p2p._udp.local");
    private static final DnsName INSTANCE = SERVICE.prepend("abc123");
    private static final DnsName HOST = DnsName.parse("abc123.local");

    /** What js-libp2p's multicast-dns (dns-packet 5.6.1) sends as its query for peers. */
    private static final String JS_QUERY = "000000000001000000000000045f703270045f756470056c6f63616c00000c0001";
    /** dns-packet's encoding of a response shaped like js-libp2p's: a PTR and a TXT answer, uncompressed. */
    private static final String JS_RESPONSE = "000084000000000200000000045f703270045f756470056c6f63616c00000c0001"
            + "00000078001806616263313233045f703270045f756470056c6f63616c0006616263313233045f703270045f756470"
            + "056c6f63616c000010000100000078005a59646e73616464723d2f6970342f31302e3230302e302e322f7463702f34"
            + "3030312f7032702f313244334b6f6f57443365636b69665770526e397751704d4739523968583373443135387a3745"
            + "7148576d776551414a55355341";

    @Test
    void decodesTheQueryJsSends() throws Exception {
        DnsMessage query = DnsCodec.decode(HexFormat.of().parseHex(JS_QUERY));

        assertThat(query.isResponse()).isFalse();
        assertThat(query.questions()).containsExactly(DnsQuestion.of(SERVICE, DnsType.PTR));
        assertThat(query.answers()).isEmpty();
    }

    @Test
    void decodesTheResponseJsSends() throws Exception {
        DnsMessage response = DnsCodec.decode(HexFormat.of().parseHex(JS_RESPONSE));

        assertThat(response.isResponse()).isTrue();
        assertThat(response.flags() & DnsMessage.FLAG_AUTHORITATIVE).isNotZero();
        assertThat(response.answers()).containsExactly(
                DnsRecord.of(SERVICE, false, 120, new RecordData.Ptr(INSTANCE)),
                DnsRecord.of(INSTANCE, false, 120, RecordData.Txt.of(
                        "dnsaddr=/ip4/10.200.0.2/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")));
    }

    @Test
    void everyRecordTypeSurvivesARoundTrip() throws Exception {
        DnsMessage message = new DnsMessage(0x1234, DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE,
                List.of(new DnsQuestion(INSTANCE, DnsType.ANY, DnsType.CLASS_IN, true)),
                List.of(DnsRecord.of(SERVICE, false, 120, new RecordData.Ptr(INSTANCE)),
                        DnsRecord.of(INSTANCE, true, 120, RecordData.Txt.of("dnsaddr=/ip4/10.200.0.1/tcp/1", ""))),
                List.of(DnsRecord.of(HOST, false, 7, new RecordData.Unknown(99, new byte[] {1, 2, 3}))),
                List.of(DnsRecord.of(INSTANCE, true, 120, new RecordData.Srv(0, 0, 4001, HOST)),
                        DnsRecord.of(HOST, true, 120, new RecordData.A((Inet4Address) ip("10.200.0.1"))),
                        DnsRecord.of(HOST, true, 0xFFFF_FFFFL,
                                new RecordData.Aaaa((Inet6Address) ip("2001:db8::1")))));

        assertThat(DnsCodec.decode(DnsCodec.encode(message))).isEqualTo(message);
    }

    @Test
    void anIpv4MappedAaaaStaysIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 10;
        DnsMessage message = DnsMessage.response(List.of(), List.of(
                DnsRecord.of(HOST, true, 120, new RecordData.Aaaa(Inet6Address.getByAddress(null, mapped, -1)))));

        RecordData decoded = DnsCodec.decode(DnsCodec.encode(message)).additionals().getFirst().data();

        assertThat(decoded).isInstanceOf(RecordData.Aaaa.class);
        assertThat(((RecordData.Aaaa) decoded).address().getAddress()).isEqualTo(mapped);
    }

    @Test
    void repeatedNamesAreCompressedAndReadBack() throws Exception {
        List<DnsRecord> answers = List.of(
                DnsRecord.of(SERVICE, false, 120, new RecordData.Ptr(INSTANCE)),
                DnsRecord.of(INSTANCE, true, 120, RecordData.Txt.of("a")),
                DnsRecord.of(INSTANCE.prepend("sub"), true, 120, RecordData.Txt.of("b")));
        DnsMessage message = DnsMessage.response(answers, List.of());

        byte[] compressed = DnsCodec.encode(message);

        // "_p2p._udp.local" is written once (17 bytes); after it each name is its new labels and a 2-byte
        // pointer: header 12, PTR 17 + 10 + (7 + 2), TXT 2 + 10 + 2, TXT (4 + 2) + 10 + 2 = 80 (139 without).
        assertThat(compressed.length).isEqualTo(80);
        assertThat(DnsCodec.decode(compressed)).isEqualTo(message);
    }

    @Test
    void namesCompareIgnoringAsciiCaseOnly() {
        assertThat(DnsName.parse("_P2P._UDP.Local")).isEqualTo(SERVICE).hasSameHashCodeAs(SERVICE);
        assertThat(DnsName.parse("É.local")).isNotEqualTo(DnsName.parse("é.local"));
    }

    @Test
    void aPointerToItselfIsALoop() {
        Packet packet = Packet.query(1);
        int at = packet.position();
        packet.pointer(at).question(DnsType.PTR);

        assertRefused(packet.bytes(), "compression pointer at offset " + at + " points to offset " + at, "loop");
    }

    @Test
    void twoPointersPointingAtEachOtherAreALoop() {
        // Question 1 is "x" then a pointer to question 2's name; question 2's name is a pointer back to "x".
        Packet packet = Packet.query(2);
        int first = packet.position();
        int second = first + 8;
        packet.label("x").pointer(second).question(DnsType.PTR);
        assertThat(packet.position()).isEqualTo(second);
        packet.pointer(first).question(DnsType.PTR);

        assertRefused(packet.bytes(), "compression pointer at offset " + (first + 2) + " points to offset "
                        + second);
    }

    @Test
    void aChainOfBackwardPointersIsFine() throws Exception {
        Packet packet = Packet.query(3);
        int first = packet.position();
        packet.label("local").end().question(DnsType.PTR);
        int second = packet.position();
        packet.label("_udp").pointer(first).question(DnsType.PTR);
        packet.label("_p2p").pointer(second).question(DnsType.PTR);

        assertThat(DnsCodec.decode(packet.bytes()).questions().getLast().name()).isEqualTo(SERVICE);
    }

    @Test
    void aNameLongerThan255BytesIsRefusedEvenThroughPointers() {
        // Four questions of 63-byte labels, each continuing the previous: the last name is 4 * 64 + 1 bytes.
        Packet packet = Packet.query(4);
        int previous = packet.position();
        packet.label("a".repeat(63)).end().question(DnsType.PTR);
        for (int i = 0; i < 3; i++) {
            int here = packet.position();
            packet.label("a".repeat(63)).pointer(previous).question(DnsType.PTR);
            previous = here;
        }

        assertRefused(packet.bytes(), "longer than 255 bytes");
    }

    @Test
    void extendedLabelTypesAreRefused() {
        Packet packet = Packet.query(1);
        int at = packet.position();
        packet.raw(0x40, 1, 'x', 0).question(DnsType.PTR);

        assertRefused(packet.bytes(), "label at offset " + at + " has type bits 0x40");
    }

    @Test
    void labelsMustBeUtf8() {
        Packet packet = Packet.query(1);
        packet.raw(2, 0xC3, 0x28, 0).question(DnsType.PTR);

        assertRefused(packet.bytes(), "is not UTF-8");
    }

    @Test
    void everyTruncationOfAValidPacketIsAFormatError() {
        byte[] whole = HexFormat.of().parseHex(JS_RESPONSE);
        for (int length = 0; length < whole.length; length++) {
            int cut = length;
            assertThatThrownBy(() -> DnsCodec.decode(Arrays.copyOf(whole, cut), cut))
                    .as("packet cut to %d of %d bytes", cut, whole.length)
                    .isInstanceOf(DnsFormatException.class);
        }
    }

    @Test
    void countsThePacketCannotHoldAreRefusedBeforeReading() {
        byte[] header = new byte[DnsCodec.HEADER_BYTES + 4];
        header[6] = (byte) 0xFF;
        header[7] = (byte) 0xFF;

        assertRefused(header, "header counts 0 questions and 65535 records", "only 4 follow the header");
    }

    @Test
    void recordDataLongerThanThePacketIsRefused() {
        Packet packet = Packet.response(1);
        packet.label("x").end().record(DnsType.TXT, 50).raw(1, 'a');

        assertRefused(packet.bytes(), "declares 50 bytes of data but only 2 remain");
    }

    @Test
    void recordDataMustMatchItsType() {
        Packet shortA = Packet.response(1);
        shortA.label("x").end().record(DnsType.A, 3).raw(10, 200, 0);
        Packet ptrWithSlack = Packet.response(1);
        ptrWithSlack.label("x").end().record(DnsType.PTR, 4).raw(1, 'y', 0, 0);
        Packet txtOverrun = Packet.response(1);
        txtOverrun.label("x").end().record(DnsType.TXT, 2).raw(5, 'a', 'b', 'c', 'd', 'e');

        assertRefused(shortA.bytes(), "A record x at offset 12 has 3 bytes of data; it must have 4");
        assertRefused(ptrWithSlack.bytes(), "declares 4 bytes of data but its content takes 3");
        assertRefused(txtOverrun.bytes(), "string at offset 25 of 5 bytes runs past the record's data");
    }

    @Test
    void aPacketOverTheMdnsLimitIsRefused() {
        byte[] huge = new byte[DnsCodec.MAX_PACKET_BYTES + 1];

        assertRefused(huge, "packet of 9001 bytes exceeds the mDNS limit of 9000");
    }

    @Test
    void encodingRefusesMessagesOverTheLimit() {
        RecordData.Txt full = new RecordData.Txt(Collections.nCopies(40, new byte[255]));
        DnsMessage message = DnsMessage.response(List.of(DnsRecord.of(INSTANCE, true, 120, full)), List.of());

        assertThatThrownBy(() -> DnsCodec.encode(message))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds 9000 bytes");
    }

    @Test
    void valuesOutsideTheWireLimitsCannotBeBuilt() {
        assertThatThrownBy(() -> DnsName.parse("a".repeat(64) + ".local"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 64 bytes");
        assertThatThrownBy(() -> RecordData.Txt.of("x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bytes exceeds 255");
        assertThatThrownBy(() -> new RecordData.Srv(0, 0, 65536, HOST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65536");
    }

    /** Random corruption of real packets must end in a decoded message or a format error, never anything else. */
    @Test
    void corruptedPacketsOnlyEverFailAsFormatErrors() {
        Random random = new Random(5353);
        List<byte[]> seeds = List.of(HexFormat.of().parseHex(JS_RESPONSE), HexFormat.of().parseHex(JS_QUERY),
                DnsCodec.encode(DnsMessage.response(
                        List.of(DnsRecord.of(SERVICE, false, 120, new RecordData.Ptr(INSTANCE)),
                                DnsRecord.of(INSTANCE, true, 120, RecordData.Txt.of("dnsaddr=/ip4/10.200.0.1"))),
                        List.of(DnsRecord.of(INSTANCE, true, 120, new RecordData.Srv(0, 0, 1, HOST))))));
        int decoded = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] packet = seeds.get(round % seeds.size()).clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
            }
            try {
                DnsCodec.decode(packet);
                decoded++;
            } catch (DnsFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
        assertThat(decoded).as("some corruptions (in TTLs, TXT bytes) still decode").isPositive();
    }

    /** Decoding fails with a format error whose message contains each of {@code expected}. */
    private static void assertRefused(byte[] packet, String... expected) {
        assertThatThrownBy(() -> DnsCodec.decode(packet))
                .isInstanceOf(DnsFormatException.class)
                .hasMessageContainingAll(expected);
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    /** Hand-built packets, for shapes the encoder never writes. */
    private static final class Packet {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static Packet query(int questions) {
            return new Packet().u16(0).u16(0).u16(questions).u16(0).u16(0).u16(0);
        }

        static Packet response(int answers) {
            return new Packet().u16(0).u16(DnsMessage.FLAG_RESPONSE).u16(0).u16(answers).u16(0).u16(0);
        }

        int position() {
            return out.size();
        }

        Packet u16(int value) {
            out.write(value >>> 8);
            out.write(value);
            return this;
        }

        Packet raw(int... values) {
            for (int value : values) {
                out.write(value);
            }
            return this;
        }

        Packet label(String label) {
            out.write(label.length());
            out.writeBytes(label.getBytes(US_ASCII));
            return this;
        }

        Packet end() {
            out.write(0);
            return this;
        }

        Packet pointer(int offset) {
            return u16(0xC000 | offset);
        }

        /** What follows a question's name: its type and class IN. */
        Packet question(int type) {
            return u16(type).u16(DnsType.CLASS_IN);
        }

        /** What follows a record's name up to its data: type, class IN, a TTL of 120 s, the data length. */
        Packet record(int type, int dataLength) {
            return u16(type).u16(DnsType.CLASS_IN).u16(0).u16(120).u16(dataLength);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
