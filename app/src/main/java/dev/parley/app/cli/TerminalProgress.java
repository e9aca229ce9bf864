package dev.parley.app.cli;

import dev.parley.store.export.ExportProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on the terminal, redrawn in place at most ten times a second:
 * {@code  42% [########            ] 420,000 of 1,000,000 messages}. Silent when output is not a terminal, so
 * scripts and logs get only the final summary.
 */
final class TerminalProgress implements ExportProgress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final String unit;
    private final boolean bytes;
    private long lastDrawn = Long.MIN_VALUE;
    private boolean drawn;

    private TerminalProgress(PrintWriter out, String unit, boolean bytes) {
        this.out = out;
        this.unit = unit;
        this.bytes = bytes;
    }

    /** A bar counting {@code unit}s (bytes are shown in MB), or nothing when there is no terminal. */
    static ExportProgress on(PrintWriter out, String unit, boolean bytes) {
        return System.console() != null ? new TerminalProgress(out, unit, bytes) : ExportProgress.NONE;
    }

    @Override
    public void progressed(long done, long total) {
        long now = System.nanoTime();
        if (done < total && drawn && now - lastDrawn < REDRAW_NANOS) {
            return;
        }
        lastDrawn = now;
        drawn = true;
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        int filled = percent * WIDTH / 100;
        out.print(String.format(Locale.ROOT, "\r%3d%% [%s%s] %s of %s %s", percent, "#".repeat(filled),
                " ".repeat(WIDTH - filled), amount(done), amount(total), unit));
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    private String amount(long value) {
        return bytes ? String.format(Locale.ROOT, "%.1f", value / 1e6) : String.format(Locale.ROOT, "%,d", value);
    }
}
