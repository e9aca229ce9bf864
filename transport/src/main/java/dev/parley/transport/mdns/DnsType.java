package dev.parley.transport.mdns;

/** The DNS record types and classes that libp2p mDNS uses (RFC 1035, RFC 2782, RFC 3596). */
final class DnsType {
    static final int A = 1;
    static final int PTR = 12;
    static final int TXT = 16;
    static final int AAAA = 28;
    static final int SRV = 33;
    /** In a question only: every type. */
    static final int ANY = 255;

    /** The Internet class, the only one mDNS uses. */
    static final int CLASS_IN = 1;
    /** In a question only: every class. */
    static final int CLASS_ANY = 255;

    private DnsType() {
    }

    static String name(int type) {
        return switch (type) {
            case A -> "A";
            case PTR -> "PTR";
            case TXT -> "TXT";
            case AAAA -> "AAAA";
            case SRV -> "SRV";
            case ANY -> "ANY";
            default -> "TYPE" + type;
        };
    }
}
