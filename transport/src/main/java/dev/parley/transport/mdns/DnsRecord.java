package dev.parley.transport.mdns;

/**
 * A resource record.
 *
 * @param name        the owner name
 * @param recordClass {@link DnsType#CLASS_IN} in mDNS
 * @param cacheFlush  mDNS's cache-flush bit, the top bit of the class field (RFC 6762 §10.2): this record
 *                    replaces older ones of its name and type; set on records only one host owns
 * @param ttlSeconds  how long the record may be cached; 0 means it is being withdrawn (RFC 6762 §10.1)
 * @param data        the type and its data
 */
record DnsRecord(DnsName name, int recordClass, boolean cacheFlush, long ttlSeconds, RecordData data) {
    static final long MAX_TTL_SECONDS = 0xFFFF_FFFFL;

    DnsRecord {
        checkUnsigned15("record class", recordClass);
        if (ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new IllegalArgumentException("TTL " + ttlSeconds + " s does not fit the 32-bit TTL field");
        }
    }

    /** A record of class IN. */
    static DnsRecord of(DnsName name, boolean cacheFlush, long ttlSeconds, RecordData data) {
        return new DnsRecord(name, DnsType.CLASS_IN, cacheFlush, ttlSeconds, data);
    }

    int type() {
        return data.type();
    }

    /** Whether this record is of class IN, the only one mDNS discovery reads. */
    boolean isInternet() {
        return recordClass == DnsType.CLASS_IN;
    }

    static void checkUnsigned16(String field, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " " + value + " does not fit 16 bits");
        }
    }

    /** For class fields, whose top bit is taken by mDNS (cache-flush in records, QU in questions). */
    static void checkUnsigned15(String field, int value) {
        if (value < 0 || value > 0x7FFF) {
            throw new IllegalArgumentException(field + " " + value + " does not fit the 15 bits mDNS leaves it");
        }
    }

    @Override
    public String toString() {
        return name + " " + DnsType.name(type()) + " ttl=" + ttlSeconds + (cacheFlush ? " flush " : " ") + data;
    }
}
