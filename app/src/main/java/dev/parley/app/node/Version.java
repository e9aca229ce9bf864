package dev.parley.app.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Parley's version, as the build stamped it into {@code parley.properties}. */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    /** The libp2p agent string peers see in identify. */
    public static String agent() {
        return "parley/" + VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/parley.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("parley.properties is missing from the build", e);
        }
    }
}
