package dev.parley.transport.multiformats;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How a multiaddr component's value turns from text into bytes and back. {@link #toText} also validates bytes
 * from the wire: a value it cannot print is a value Parley does not accept. Both directions throw
 * {@link IllegalArgumentException} naming the bad value.
 */
enum ValueCodec {
    /** For protocols without a value; never asked to convert anything. */
    NONE {
        @Override
        byte[] toBytes(String text) {
            throw new IllegalArgumentException("this protocol takes no value, got '" + text + "'");
        }

        @Override
        String toText(byte[] value) {
            if (value.length != 0) {
                throw new IllegalArgumentException("this protocol takes no value, got " + value.length + " bytes");
            }
            return "";
        }
    },

    /** Dotted decimal; no leading zeros, which some parsers read as octal. */
    IP4 {
        @Override
        byte[] toBytes(String text) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = parseDecimal(parts[i], "IPv4 address '" + text + "'");
                if (octet > 255) {
                    throw new IllegalArgumentException("IPv4 address '" + text + "' has an octet of " + octet);
                }
                out[i] = (byte) octet;
            }
            return out;
        }

        @Override
        String toText(byte[] value) {
            return (value[0] & 0xFF) + "." + (value[1] & 0xFF) + "." + (value[2] & 0xFF) + "." + (value[3] & 0xFF);
        }
    },

    /**
     * Any RFC 4291 text form in; out, the compressed lowercase form browsers and js-libp2p print (WHATWG URL
     * serialisation: the first longest run of two or more zero groups becomes {@code ::}, IPv4-mapped
     * addresses stay hexadecimal).
     */
    IP6 {
        @Override
        byte[] toBytes(String text) {
            // Only hex digits, dots and colons: no zone id, no brackets of its own.
            if (!text.chars().allMatch(c -> c == ':' || c == '.' || HexFormat.isHexDigit(c))) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
            }
            InetAddress address;
            try {
                // In brackets the JDK must read an IPv6 literal and never falls back to a DNS lookup.
                address = InetAddress.getByName("[" + text + "]");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv6 address", e);
            }
            byte[] raw = address.getAddress();
            // The JDK turns IPv4-mapped literals (::ffff:a.b.c.d) into IPv4 addresses; map them back.
            return address instanceof Inet4Address ? ipv4Mapped(raw) : raw;
        }

        @Override
        String toText(byte[] value) {
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((value[2 * i] & 0xFF) << 8) | (value[2 * i + 1] & 0xFF);
            }
            // Find the first longest run of zero groups; a single zero group is not worth a "::".
            int runStart = -1;
            int runLength = 1;
            for (int i = 0; i < 8; ) {
                int end = i;
                while (end < 8 && groups[end] == 0) {
                    end++;
                }
                if (end - i > runLength) {
                    runStart = i;
                    runLength = end - i;
                }
                i = Math.max(end, i + 1);
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == runStart) {
                    out.append("::");
                    i += runLength - 1;
                    continue;
                }
                if (i > 0 && i != runStart + runLength) {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[i]));
            }
            return out.toString();
        }
    },

    /** A TCP or UDP port, 0 to 65535, big-endian. */
    PORT {
        @Override
        byte[] toBytes(String text) {
            return port(parseDecimal(text, "port"));
        }

        @Override
        String toText(byte[] value) {
            return Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
        }
    },

    /** A DNS name as UTF-8; it cannot contain '/', which would break the text form. */
    DOMAIN {
        @Override
        byte[] toBytes(String text) {
            checkDomain(text);
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        String toText(byte[] value) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(value))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("domain name of " + value.length + " bytes is not UTF-8", e);
            }
            checkDomain(text);
            return text;
        }
    },

    /** A peer id: a multihash on the wire; base58btc or CIDv1 in, base58btc out. */
    PEER_ID {
        @Override
        byte[] toBytes(String text) {
            return PeerId.parse(text).bytes();
        }

        @Override
        String toText(byte[] value) {
            return PeerId.fromBytes(value).toBase58();
        }
    },

    /** A multihash (a certificate hash): any supported multibase in, base64url out as go- and js-libp2p print. */
    MULTIBASE_MULTIHASH {
        @Override
        byte[] toBytes(String text) {
            byte[] value = Multibase.decode(text);
            Multihash.decode(value);
            return value;
        }

        @Override
        String toText(byte[] value) {
            Multihash.decode(value);
            return Multibase.BASE64URL.encode(value);
        }
    };

    abstract byte[] toBytes(String text);

    abstract String toText(byte[] value);

    static byte[] port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    private static byte[] ipv4Mapped(byte[] ipv4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xFF;
        out[11] = (byte) 0xFF;
        System.arraycopy(ipv4, 0, out, 12, 4);
        return out;
    }

    /** A canonical decimal that fits an int: digits only, no sign, no leading zero. */
    private static int parseDecimal(String text, String what) {
        boolean digitsOnly = !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digitsOnly || text.length() > 9 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new IllegalArgumentException("invalid " + what + ": '" + text + "'");
        }
        return Integer.parseInt(text);
    }

    private static void checkDomain(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("invalid domain name '" + name + "'");
        }
    }
}
