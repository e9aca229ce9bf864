package dev.parley.transport.mdns;

import java.util.List;

/**
 * A DNS message as mDNS sends it (RFC 1035 §4.1, RFC 6762 §18). On the wire:
 *
 * <pre>
 * +--------+--------+--------+--------+--------+--------+
 * |   ID   | FLAGS  |QDCOUNT |ANCOUNT |NSCOUNT |ARCOUNT |   header: six 16-bit big-endian fields
 * +--------+--------+--------+--------+--------+--------+
 * | questions:   NAME  TYPE(16)  CLASS(16, top bit QU)                |
 * | answers, authorities, additionals, each a resource record:        |
 * |   NAME  TYPE(16)  CLASS(16, top bit cache-flush)  TTL(32)         |
 * |   RDLENGTH(16)  RDATA(RDLENGTH bytes)                             |
 * +------------------------------------------------------------------+
 * NAME: labels, each a length byte (1..63) and its bytes, ending in a 0 byte, or ending early in a
 *       2-byte compression pointer 0b11pppppp pppppppp to an earlier offset in the message.
 * FLAGS: QR(1) OPCODE(4) AA(1) TC(1) RD(1) RA(1) Z(1) AD(1) CD(1) RCODE(4)
 * </pre>
 *
 * mDNS sends ID 0 and takes QR=1 with AA=1 for a response (RFC 6762 §18.1, §18.4).
 */
record DnsMessage(
        int id,
        int flags,
        List<DnsQuestion> questions,
        List<DnsRecord> answers,
        List<DnsRecord> authorities,
        List<DnsRecord> additionals) {
    static final int FLAG_RESPONSE = 0x8000;
    static final int FLAG_AUTHORITATIVE = 0x0400;
    private static final int OPCODE_SHIFT = 11;
    private static final int OPCODE_BITS = 0xF;
    private static final int RCODE_BITS = 0xF;

    DnsMessage {
        DnsRecord.checkUnsigned16("message id", id);
        DnsRecord.checkUnsigned16("message flags", flags);
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
    }

    /** A multicast query; {@code knownAnswers} are records the asker has, so their owners need not answer. */
    static DnsMessage query(List<DnsQuestion> questions, List<DnsRecord> knownAnswers) {
        return new DnsMessage(0, 0, questions, knownAnswers, List.of(), List.of());
    }

    /** An unsolicited or multicast response, as mDNS responders send them. */
    static DnsMessage response(List<DnsRecord> answers, List<DnsRecord> additionals) {
        return new DnsMessage(0, FLAG_RESPONSE | FLAG_AUTHORITATIVE, List.of(), answers, List.of(), additionals);
    }

    boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    int opcode() {
        return (flags >>> OPCODE_SHIFT) & OPCODE_BITS;
    }

    int responseCode() {
        return flags & RCODE_BITS;
    }
}
