package dev.parley.transport.multiformats;

import java.util.Base64;
import java.util.function.Function;

/**
 * Self-describing base encodings (github.com/multiformats/multibase): one prefix character names the
 * encoding of the rest. Parley reads and writes the three that libp2p text forms use: base58btc ({@code z}),
 * base32 ({@code b}, CIDv1 peer ids) and base64url ({@code u}, how go- and js-libp2p print {@code /certhash}).
 */
public enum Multibase {
    BASE58BTC('z', Base58::encode, Base58::decode),
    BASE32('b', Base32::encode, Base32::decode),
    BASE64URL('u', Base64.getUrlEncoder().withoutPadding()::encodeToString, Multibase::decodeBase64Url);

    private final char prefix;
    private final Function<byte[], String> encoder;
    private final Function<String, byte[]> decoder;

    Multibase(char prefix, Function<byte[], String> encoder, Function<String, byte[]> decoder) {
        this.prefix = prefix;
        this.encoder = encoder;
        this.decoder = decoder;
    }

    public char prefix() {
        return prefix;
    }

    public String encode(byte[] data) {
        return prefix + encoder.apply(data);
    }

    /** Decodes text whose first character names its encoding. */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty multibase text");
        }
        return forPrefix(text.charAt(0)).decoder.apply(text.substring(1));
    }

    public static Multibase forPrefix(char prefix) {
        for (Multibase base : values()) {
            if (base.prefix == prefix) {
                return base;
            }
        }
        throw new IllegalArgumentException("unsupported multibase prefix '" + prefix
                + "'; expected z (base58btc), b (base32) or u (base64url)");
    }

    private static byte[] decodeBase64Url(String body) {
        // The JDK decoder also takes padded input, which is multibase 'U', not 'u'.
        if (body.indexOf('=') >= 0) {
            throw new IllegalArgumentException("base64url multibase text must not be padded");
        }
        return Base64.getUrlDecoder().decode(body);
    }
}
