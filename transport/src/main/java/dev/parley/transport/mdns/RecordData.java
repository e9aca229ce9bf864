package dev.parley.transport.mdns;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.List;

/** The data of a resource record, one variant per record type mDNS discovery reads or writes. */
sealed interface RecordData {
    /** The record type, one of {@link DnsType}. */
    int type();

    /** A pointer to another name: {@code _p2p._udp.local PTR <instance>._p2p._udp.local}. */
    record Ptr(DnsName target) implements RecordData {
        @Override
        public int type() {
            return DnsType.PTR;
        }
    }

    /** Character strings, each at most 255 bytes; libp2p puts {@code dnsaddr=<multiaddr>} in them. */
    record Txt(List<byte[]> strings) implements RecordData {
        /** RFC 1035 §3.3: one length byte per string. */
        static final int MAX_STRING_BYTES = 255;

        public Txt {
            strings = strings.stream().map(byte[]::clone).toList();
            for (byte[] string : strings) {
                if (string.length > MAX_STRING_BYTES) {
                    throw new IllegalArgumentException("TXT string of " + string.length + " bytes exceeds "
                            + MAX_STRING_BYTES);
                }
            }
        }

        static Txt of(String... texts) {
            return new Txt(Arrays.stream(texts).map(text -> text.getBytes(UTF_8)).toList());
        }

        /** The strings as UTF-8 text. */
        List<String> texts() {
            return strings.stream().map(bytes -> new String(bytes, UTF_8)).toList();
        }

        @Override
        public List<byte[]> strings() {
            return strings.stream().map(byte[]::clone).toList();
        }

        @Override
        public int type() {
            return DnsType.TXT;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Txt other) || other.strings.size() != strings.size()) {
                return false;
            }
            for (int i = 0; i < strings.size(); i++) {
                if (!Arrays.equals(strings.get(i), other.strings.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return texts().hashCode();
        }

        @Override
        public String toString() {
            return "Txt" + texts();
        }
    }

    record A(Inet4Address address) implements RecordData {
        @Override
        public int type() {
            return DnsType.A;
        }
    }

    record Aaaa(Inet6Address address) implements RecordData {
        @Override
        public int type() {
            return DnsType.AAAA;
        }
    }

    /** RFC 2782: where a service instance runs. */
    record Srv(int priority, int weight, int port, DnsName target) implements RecordData {
        public Srv {
            for (int field : new int[] {priority, weight, port}) {
                if (field < 0 || field > 0xFFFF) {
                    throw new IllegalArgumentException("SRV priority, weight and port are 16-bit; got " + field);
                }
            }
        }

        @Override
        public int type() {
            return DnsType.SRV;
        }
    }

    /** A record of a type discovery does not read, kept as its raw bytes. */
    record Unknown(int type, byte[] bytes) implements RecordData {
        public Unknown {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown other && other.type == type && Arrays.equals(other.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", " + bytes.length + " bytes]";
        }
    }
}
