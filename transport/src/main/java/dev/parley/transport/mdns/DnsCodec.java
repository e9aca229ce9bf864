package dev.parley.transport.mdns;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and decodes {@link DnsMessage}s (layout drawn there). Decoding trusts nothing: every length is
 * checked against what is left of the packet, a compression pointer must point before the name part it
 * continues (so pointer chains end and cannot loop), names keep RFC 1035's 63- and 255-byte limits, and the
 * packet may not exceed mDNS's 9000 bytes. Any violation is a {@link DnsFormatException} naming the offset.
 * Encoding compresses repeated name suffixes and refuses to write beyond the same limits.
 */
final class DnsCodec {
    /** RFC 6762 §17: a Multicast DNS packet, IP and UDP headers excluded, is at most 9000 bytes. */
    static final int MAX_PACKET_BYTES = 9000;
    static final int HEADER_BYTES = 12;
    /** The smallest question: the root name (1 byte), type and class. */
    private static final int MIN_QUESTION_BYTES = 5;
    /** The smallest record: the root name, type, class, TTL and a zero RDLENGTH. */
    private static final int MIN_RECORD_BYTES = 11;
    private static final int POINTER_TAG = 0xC0;
    private static final int MAX_POINTER_TARGET = 0x3FFF;
    private static final int TOP_BIT = 0x8000;

    private DnsCodec() {
    }

    /**
     * @throws IllegalArgumentException if the message does not fit {@link #MAX_PACKET_BYTES} or an RDATA
     *     exceeds 65535 bytes
     */
    static byte[] encode(DnsMessage message) {
        Writer writer = new Writer();
        try {
            writer.message(message);
        } catch (BufferOverflowException e) {
            throw new IllegalArgumentException("DNS message with " + message.answers().size() + " answers and "
                    + message.additionals().size() + " additional records exceeds " + MAX_PACKET_BYTES + " bytes");
        }
        return writer.bytes();
    }

    /** Decodes the first {@code length} bytes of {@code packet}. */
    static DnsMessage decode(byte[] packet, int length) throws DnsFormatException {
        if (length > MAX_PACKET_BYTES) {
            throw new DnsFormatException("packet of " + length + " bytes exceeds the mDNS limit of "
                    + MAX_PACKET_BYTES);
        }
        if (length < HEADER_BYTES) {
            throw new DnsFormatException("packet of " + length + " bytes is shorter than the "
                    + HEADER_BYTES + "-byte header");
        }
        return new Reader(packet, length).message();
    }

    static DnsMessage decode(byte[] packet) throws DnsFormatException {
        return decode(packet, packet.length);
    }

    private static final class Writer {
        private final ByteBuffer out = ByteBuffer.allocate(MAX_PACKET_BYTES);
        /** Offsets of the name suffixes written so far, keyed by their folded labels, for compression. */
        private final Map<List<String>, Integer> suffixes = new HashMap<>();

        void message(DnsMessage message) {
            out.putShort((short) message.id());
            out.putShort((short) message.flags());
            out.putShort((short) message.questions().size());
            out.putShort((short) message.answers().size());
            out.putShort((short) message.authorities().size());
            out.putShort((short) message.additionals().size());
            for (DnsQuestion question : message.questions()) {
                name(question.name());
                out.putShort((short) question.type());
                out.putShort((short) (question.questionClass() | (question.unicastResponse() ? TOP_BIT : 0)));
            }
            for (List<DnsRecord> section : List.of(message.answers(), message.authorities(), message.additionals())) {
                section.forEach(this::record);
            }
        }

        byte[] bytes() {
            byte[] bytes = new byte[out.position()];
            out.get(0, bytes);
            return bytes;
        }

        private void record(DnsRecord record) {
            name(record.name());
            out.putShort((short) record.type());
            out.putShort((short) (record.recordClass() | (record.cacheFlush() ? TOP_BIT : 0)));
            out.putInt((int) record.ttlSeconds());
            int lengthAt = out.position();
            out.putShort((short) 0);
            switch (record.data()) {
                case RecordData.Ptr ptr -> name(ptr.target());
                case RecordData.Txt txt -> {
                    for (byte[] string : txt.strings()) {
                        out.put((byte) string.length).put(string);
                    }
                }
                case RecordData.A a -> out.put(a.address().getAddress());
                case RecordData.Aaaa aaaa -> out.put(aaaa.address().getAddress());
                case RecordData.Srv srv -> {
                    out.putShort((short) srv.priority()).putShort((short) srv.weight()).putShort((short) srv.port());
                    name(srv.target());
                }
                case RecordData.Unknown unknown -> out.put(unknown.bytes());
            }
            int dataLength = out.position() - lengthAt - 2;
            if (dataLength > 0xFFFF) {
                throw new IllegalArgumentException("RDATA of " + dataLength + " bytes for " + record.name()
                        + " exceeds 65535");
            }
            out.putShort(lengthAt, (short) dataLength);
        }

        /** Writes the labels until a suffix already written can be pointed to. */
        private void name(DnsName name) {
            List<String> labels = name.labels();
            List<String> folded = name.folded();
            for (int i = 0; i < labels.size(); i++) {
                List<String> suffix = folded.subList(i, folded.size());
                Integer earlier = suffixes.get(suffix);
                if (earlier != null) {
                    out.putShort((short) ((POINTER_TAG << 8) | earlier));
                    return;
                }
                if (out.position() <= MAX_POINTER_TARGET) {
                    suffixes.put(List.copyOf(suffix), out.position());
                }
                byte[] label = labels.get(i).getBytes(UTF_8);
                out.put((byte) label.length).put(label);
            }
            out.put((byte) 0);
        }
    }

    private static final class Reader {
        private final byte[] packet;
        private final int length;
        private int position;

        Reader(byte[] packet, int length) {
            this.packet = packet;
            this.length = length;
        }

        DnsMessage message() throws DnsFormatException {
            int id = u16();
            int flags = u16();
            int questionCount = u16();
            int answerCount = u16();
            int authorityCount = u16();
            int additionalCount = u16();
            long recordCount = (long) answerCount + authorityCount + additionalCount;
            long leastBytes = (long) questionCount * MIN_QUESTION_BYTES + recordCount * MIN_RECORD_BYTES;
            if (leastBytes > length - HEADER_BYTES) {
                throw new DnsFormatException("header counts " + questionCount + " questions and " + recordCount
                        + " records, which need at least " + leastBytes + " bytes, but only "
                        + (length - HEADER_BYTES) + " follow the header");
            }
            List<DnsQuestion> questions = new ArrayList<>(questionCount);
            for (int i = 0; i < questionCount; i++) {
                questions.add(question());
            }
            return new DnsMessage(id, flags, questions, records(answerCount), records(authorityCount),
                    records(additionalCount));
        }

        private DnsQuestion question() throws DnsFormatException {
            int at = position;
            DnsName name = name(length);
            need(4, "question at offset " + at);
            int type = u16();
            int rawClass = u16();
            return new DnsQuestion(name, type, rawClass & ~TOP_BIT, (rawClass & TOP_BIT) != 0);
        }

        private List<DnsRecord> records(int count) throws DnsFormatException {
            List<DnsRecord> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(record());
            }
            return records;
        }

        private DnsRecord record() throws DnsFormatException {
            int at = position;
            DnsName name = name(length);
            need(10, "record " + name + " at offset " + at);
            int type = u16();
            int rawClass = u16();
            long ttl = Integer.toUnsignedLong(u16() << 16 | u16());
            int dataLength = u16();
            int dataEnd = position + dataLength;
            if (dataEnd > length) {
                throw new DnsFormatException("record " + name + " at offset " + at + " declares " + dataLength
                        + " bytes of data but only " + (length - position) + " remain");
            }
            RecordData data = data(type, dataEnd, name, at);
            if (position != dataEnd) {
                throw new DnsFormatException(DnsType.name(type) + " record " + name + " at offset " + at
                        + " declares " + dataLength + " bytes of data but its content takes "
                        + (position - (dataEnd - dataLength)));
            }
            return new DnsRecord(name, rawClass & ~TOP_BIT, (rawClass & TOP_BIT) != 0, ttl, data);
        }

        private RecordData data(int type, int dataEnd, DnsName owner, int at) throws DnsFormatException {
            int dataLength = dataEnd - position;
            return switch (type) {
                case DnsType.PTR -> new RecordData.Ptr(name(dataEnd));
                case DnsType.TXT -> txt(dataEnd, owner, at);
                case DnsType.A -> new RecordData.A((Inet4Address) ip(address(dataLength, 4, owner, at)));
                case DnsType.AAAA -> new RecordData.Aaaa((Inet6Address) ip(address(dataLength, 16, owner, at)));
                case DnsType.SRV -> {
                    if (dataLength < 7) {
                        throw new DnsFormatException("SRV record " + owner + " at offset " + at + " has "
                                + dataLength + " bytes of data; it needs at least 7");
                    }
                    yield new RecordData.Srv(u16(), u16(), u16(), name(dataEnd));
                }
                default -> {
                    byte[] raw = new byte[dataLength];
                    System.arraycopy(packet, position, raw, 0, dataLength);
                    position = dataEnd;
                    yield new RecordData.Unknown(type, raw);
                }
            };
        }

        private RecordData.Txt txt(int dataEnd, DnsName owner, int at) throws DnsFormatException {
            List<byte[]> strings = new ArrayList<>();
            while (position < dataEnd) {
                int stringLength = packet[position] & 0xFF;
                if (position + 1 + stringLength > dataEnd) {
                    throw new DnsFormatException("TXT record " + owner + " at offset " + at + ": string at offset "
                            + position + " of " + stringLength + " bytes runs past the record's data");
                }
                byte[] string = new byte[stringLength];
                System.arraycopy(packet, position + 1, string, 0, stringLength);
                strings.add(string);
                position += 1 + stringLength;
            }
            return new RecordData.Txt(strings);
        }

        private byte[] address(int dataLength, int expected, DnsName owner, int at) throws DnsFormatException {
            if (dataLength != expected) {
                throw new DnsFormatException((expected == 4 ? "A" : "AAAA") + " record " + owner + " at offset "
                        + at + " has " + dataLength + " bytes of data; it must have " + expected);
            }
            byte[] raw = new byte[expected];
            System.arraycopy(packet, position, raw, 0, expected);
            position += expected;
            return raw;
        }

        /**
         * Reads a name at the current position. Its bytes in place must end by {@code limit} (the end of the
         * record data it sits in, or of the packet); after a compression pointer it continues at an earlier
         * offset, and each further pointer must point before the part it continues, so the chain ends.
         */
        private DnsName name(int limit) throws DnsFormatException {
            int start = position;
            List<String> labels = new ArrayList<>();
            int wireBytes = 1;
            int at = position;
            int partStart = position;
            int bound = limit;
            boolean jumped = false;
            while (true) {
                if (at >= bound) {
                    throw new DnsFormatException("name at offset " + start + " runs past "
                            + (jumped ? "the end of the packet" : "its record's data or the packet") + " at offset " + at);
                }
                int lengthByte = packet[at] & 0xFF;
                if (lengthByte == 0) {
                    at++;
                    break;
                }
                int tag = lengthByte & POINTER_TAG;
                if (tag == POINTER_TAG) {
                    if (at + 2 > bound) {
                        throw new DnsFormatException("compression pointer at offset " + at + " is cut off");
                    }
                    int target = ((lengthByte & ~POINTER_TAG) << 8) | (packet[at + 1] & 0xFF);
                    if (target >= partStart) {
                        throw new DnsFormatException("compression pointer at offset " + at + " points to offset "
                                + target + ", not before offset " + partStart + " where its name part starts"
                                + " (a loop or a forward pointer)");
                    }
                    if (!jumped) {
                        position = at + 2;
                        jumped = true;
                    }
                    at = target;
                    partStart = target;
                    bound = length;
                    continue;
                }
                if (tag != 0) {
                    throw new DnsFormatException("label at offset " + at + " has type bits 0x"
                            + Integer.toHexString(tag) + "; only plain labels and compression pointers are allowed");
                }
                if (at + 1 + lengthByte > bound) {
                    throw new DnsFormatException("label of " + lengthByte + " bytes at offset " + at
                            + " runs past offset " + bound);
                }
                wireBytes += 1 + lengthByte;
                if (wireBytes > DnsName.MAX_WIRE_BYTES) {
                    throw new DnsFormatException("name at offset " + start + " is longer than "
                            + DnsName.MAX_WIRE_BYTES + " bytes");
                }
                labels.add(label(at, lengthByte));
                at += 1 + lengthByte;
            }
            if (!jumped) {
                position = at;
            }
            return new DnsName(labels);
        }

        /** The address of 4 or 16 bytes; 16 bytes stay IPv6 even when they hold an IPv4-mapped address. */
        private static InetAddress ip(byte[] raw) {
            try {
                return raw.length == 4 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, -1);
            } catch (UnknownHostException e) {
                throw new AssertionError("4 and 16 bytes always make an IP address", e);
            }
        }

        /** RFC 6762 §16: mDNS names are UTF-8; other bytes would not survive a round trip through text. */
        private String label(int at, int labelLength) throws DnsFormatException {
            try {
                return UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(packet, at + 1, labelLength))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new DnsFormatException("label at offset " + at + " is not UTF-8");
            }
        }

        private void need(int bytes, String what) throws DnsFormatException {
            if (position + bytes > length) {
                throw new DnsFormatException(what + " is cut off: it needs " + bytes + " more bytes at offset "
                        + position + " but the packet ends at " + length);
            }
        }

        private int u16() {
            int value = ((packet[position] & 0xFF) << 8) | (packet[position + 1] & 0xFF);
            position += 2;
            return value;
        }
    }
}
