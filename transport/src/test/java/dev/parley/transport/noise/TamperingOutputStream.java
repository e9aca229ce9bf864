package dev.parley.transport.noise;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Passes writes through, except that once armed it flips the last byte of the next write, then disarms. */
final class TamperingOutputStream extends FilterOutputStream {
    private volatile boolean armed;

    TamperingOutputStream(OutputStream out) {
        super(out);
    }

    void arm() {
        armed = true;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (armed && len > 0) {
            armed = false;
            byte[] copy = Arrays.copyOfRange(b, off, off + len);
            copy[len - 1] ^= 0x01;
            out.write(copy);
        } else {
            out.write(b, off, len);
        }
    }
}
