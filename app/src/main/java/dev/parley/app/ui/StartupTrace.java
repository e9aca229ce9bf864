package dev.parley.app.ui;

import java.util.Locale;

/**
 * Where the desktop app's start spends its time: with the system property or environment variable
 * {@value #PROPERTY} set, each step of the start prints to standard error how long after {@code main} began it was
 * reached, and on which thread ("parley start: 612 ms window shown (AWT-EventQueue-0)"). The time before
 * {@code main} (the launcher, the JVM) is what a measurement from outside adds. Off, it costs one lookup.
 */
public final class StartupTrace {
    static final String PROPERTY = "parley.startup.trace";
    private static final boolean ON = System.getProperty(PROPERTY) != null || System.getenv(PROPERTY) != null;
    private static final long MAIN_STARTED = System.nanoTime();

    private StartupTrace() {
    }

    /** Notes that the start reached {@code step}; the first call, from {@code main}, is the time's origin. */
    public static void reached(String step) {
        if (ON) {
            System.err.printf(Locale.ROOT, "parley start: %d ms %s (%s)%n", (System.nanoTime() - MAIN_STARTED) / 1_000_000,
                    step, Thread.currentThread().getName());
        }
    }
}
