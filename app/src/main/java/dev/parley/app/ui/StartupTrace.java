package dev.parley.app.ui;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where the desktop app's start spends its time: with the system property or environment variable
 * {@value #PROPERTY} set, each step of the start prints to standard error how long after the JVM began it was
 * reached, and on which thread ("parley start: 612 ms window shown (AWT-EventQueue-0)"). The launcher's time before
 * the JVM is what a measurement from outside adds. Off, it costs one lookup and loads nothing.
 */
public final class StartupTrace {
    static final String PROPERTY = "parley.startup.trace";
    private static final boolean ON = System.getProperty(PROPERTY) != null || System.getenv(PROPERTY) != null;

    private StartupTrace() {
    }

    /** Notes that the start reached {@code step}. */
    public static void reached(String step) {
        if (ON) {
            System.err.printf(Locale.ROOT, "parley start: %d ms %s (%s)%n",
                    ManagementFactory.getRuntimeMXBean().getUptime(), step, Thread.currentThread().getName());
        }
    }
}
