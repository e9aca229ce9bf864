package dev.parley.transport.noise;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Passes writes through and keeps a copy of every byte, so a test can inspect what went on the wire. */
final class RecordingOutputStream extends FilterOutputStream {
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

    RecordingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        recorded.write(b);
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        recorded.write(b, off, len);
        out.write(b, off, len);
    }

    byte[] recorded() {
        return recorded.toByteArray();
    }
}
