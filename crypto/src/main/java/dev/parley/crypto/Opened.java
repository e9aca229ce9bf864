package dev.parley.crypto;

import java.util.Arrays;

/** An envelope that verified, decrypted and was not seen before: its header and plaintext. */
public record Opened(EnvelopeHeader header, byte[] plaintext) {
    public Opened {
        plaintext = plaintext.clone();
    }

    @Override
    public byte[] plaintext() {
        return plaintext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Opened other && header.equals(other.header) && Arrays.equals(plaintext, other.plaintext);
    }

    @Override
    public int hashCode() {
        return 31 * header.hashCode() + Arrays.hashCode(plaintext);
    }

    @Override
    public String toString() {
        return "Opened[" + header + ", " + plaintext.length + " bytes]";
    }
}
