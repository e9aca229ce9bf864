package dev.parley.transport.mdns;

/**
 * A question: which records of a name the asker wants.
 *
 * @param name            the name asked about
 * @param type            a {@link DnsType} or {@link DnsType#ANY}
 * @param questionClass   {@link DnsType#CLASS_IN} or {@link DnsType#CLASS_ANY}
 * @param unicastResponse mDNS's QU bit, the top bit of the class field (RFC 6762 §5.4): the asker would take
 *                        the answer by unicast
 */
record DnsQuestion(DnsName name, int type, int questionClass, boolean unicastResponse) {
    DnsQuestion {
        DnsRecord.checkUnsigned16("question type", type);
        DnsRecord.checkUnsigned15("question class", questionClass);
    }

    /** A multicast question of class IN. */
    static DnsQuestion of(DnsName name, int type) {
        return new DnsQuestion(name, type, DnsType.CLASS_IN, false);
    }

    /** Whether this question asks for records of that name and type in class IN. */
    boolean asks(DnsName wanted, int wantedType) {
        return name.equals(wanted)
                && (type == wantedType || type == DnsType.ANY)
                && (questionClass == DnsType.CLASS_IN || questionClass == DnsType.CLASS_ANY);
    }

    @Override
    public String toString() {
        return name + " " + DnsType.name(type) + (unicastResponse ? " QU" : "");
    }
}
