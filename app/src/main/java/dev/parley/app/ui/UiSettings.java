package dev.parley.app.ui;

import dev.parley.app.ui.i18n.Language;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The desktop app's preferences, kept in {@value #FILE} in the profile directory: window bounds, theme, the last
 * open conversation, the listen port and LAN discovery for the next start, notifications, the emoji used last, the
 * last disk quota chosen for carrying (the engine keeps 0 while carrying is off). Every key is here.
 * Reads and writes touch the disk: call {@link #load} and {@link #save} off the EDT.
 */
public final class UiSettings {
    static final String FILE = "ui.properties";

    private static final String WINDOW_X = "window.x";
    private static final String WINDOW_Y = "window.y";
    private static final String WINDOW_WIDTH = "window.width";
    private static final String WINDOW_HEIGHT = "window.height";
    private static final String WINDOW_MAXIMIZED = "window.maximized";
    private static final String THEME = "theme";
    private static final String LAST_CONVERSATION = "conversation.last";
    private static final String LISTEN_PORT = "network.listenPort";
    private static final String LAN_DISCOVERY = "network.lanDiscovery";
    private static final String NOTIFICATIONS = "notifications";
    private static final String LIST_WIDTH = "window.listWidth";
    private static final String RECENT_EMOJI = "emoji.recent";
    private static final String LANGUAGE = "language";
    private static final String CARRY_QUOTA_MIB = "carry.lastQuotaMiB";
    /** How many emoji the picker's Recent row remembers. */
    static final int RECENT_EMOJI_KEPT = 24;

    private final Path file;
    private final Properties values;

    private UiSettings(Path file, Properties values) {
        this.file = file;
        this.values = values;
    }

    /** The settings saved in {@code profileDirectory}, or the defaults if there are none yet. */
    static UiSettings load(Path profileDirectory) throws IOException {
        Path file = profileDirectory.resolve(FILE);
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                values.load(in);
            }
        }
        return new UiSettings(file, values);
    }

    /** Writes the settings as one whole file, so a crash mid-write leaves the previous ones intact. */
    synchronized void save() throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                values.store(out, "Parley desktop settings");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    Path file() {
        return file;
    }

    synchronized Optional<Rectangle> windowBounds() {
        try {
            return Optional.of(new Rectangle(integer(WINDOW_X, 0), integer(WINDOW_Y, 0),
                    integer(WINDOW_WIDTH, -1), integer(WINDOW_HEIGHT, -1))).filter(b -> b.width > 0 && b.height > 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    synchronized void setWindowBounds(Rectangle bounds) {
        values.setProperty(WINDOW_X, String.valueOf(bounds.x));
        values.setProperty(WINDOW_Y, String.valueOf(bounds.y));
        values.setProperty(WINDOW_WIDTH, String.valueOf(bounds.width));
        values.setProperty(WINDOW_HEIGHT, String.valueOf(bounds.height));
    }

    synchronized boolean windowMaximized() {
        return Boolean.parseBoolean(values.getProperty(WINDOW_MAXIMIZED, "false"));
    }

    synchronized void setWindowMaximized(boolean maximized) {
        values.setProperty(WINDOW_MAXIMIZED, String.valueOf(maximized));
    }

    /** The width of the conversation list, in unscaled pixels, if the user moved the divider. */
    synchronized Optional<Integer> listWidth() {
        return optionalInteger(LIST_WIDTH);
    }

    synchronized void setListWidth(int width) {
        values.setProperty(LIST_WIDTH, String.valueOf(width));
    }

    synchronized Theme theme() {
        return Theme.parse(values.getProperty(THEME)).orElse(Theme.SYSTEM);
    }

    synchronized void setTheme(Theme theme) {
        values.setProperty(THEME, theme.name().toLowerCase(Locale.ROOT));
    }

    /** The PeerId (base58) of the conversation open when the window closed. */
    synchronized Optional<String> lastConversation() {
        return Optional.ofNullable(values.getProperty(LAST_CONVERSATION)).filter(s -> !s.isBlank());
    }

    synchronized void setLastConversation(String peer) {
        values.setProperty(LAST_CONVERSATION, peer);
    }

    /** The TCP port to listen on at the next start; 0 lets the system choose (and keeps last run's when free). */
    synchronized int listenPort() {
        return optionalInteger(LISTEN_PORT).filter(port -> port >= 0 && port <= 65535).orElse(0);
    }

    synchronized void setListenPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a TCP port is 0 to 65535, not " + port);
        }
        values.setProperty(LISTEN_PORT, String.valueOf(port));
    }

    synchronized boolean lanDiscovery() {
        return Boolean.parseBoolean(values.getProperty(LAN_DISCOVERY, "true"));
    }

    synchronized void setLanDiscovery(boolean on) {
        values.setProperty(LAN_DISCOVERY, String.valueOf(on));
    }

    /** The language picked in Settings; it applies at the next start, before the first window. */
    synchronized Language language() {
        return Language.parse(values.getProperty(LANGUAGE)).orElse(Language.SYSTEM);
    }

    synchronized void setLanguage(Language language) {
        values.setProperty(LANGUAGE, language.name());
    }

    synchronized boolean notifications() {
        return Boolean.parseBoolean(values.getProperty(NOTIFICATIONS, "true"));
    }

    synchronized void setNotifications(boolean on) {
        values.setProperty(NOTIFICATIONS, String.valueOf(on));
    }

    /**
     * The disk quota for carrying last saved, in MiB, which turning carrying on again restores: the engine's setting is 0
     * while carrying is off.
     */
    synchronized Optional<Integer> lastCarryQuotaMib() {
        return optionalInteger(CARRY_QUOTA_MIB).filter(mib -> mib > 0);
    }

    synchronized void setLastCarryQuotaMib(int mib) {
        values.setProperty(CARRY_QUOTA_MIB, String.valueOf(mib));
    }

    /** The emoji picked last, the most recent first. */
    synchronized List<String> recentEmoji() {
        return Arrays.stream(values.getProperty(RECENT_EMOJI, "").split(" ")).filter(e -> !e.isBlank())
                .limit(RECENT_EMOJI_KEPT).toList();
    }

    /** Puts {@code emoji} first among the recent ones (once), forgetting the oldest beyond {@link #RECENT_EMOJI_KEPT}. */
    synchronized void pickedEmoji(String emoji) {
        List<String> recent = new ArrayList<>(recentEmoji());
        recent.remove(emoji);
        recent.addFirst(emoji);
        values.setProperty(RECENT_EMOJI, String.join(" ", recent.subList(0, Math.min(recent.size(), RECENT_EMOJI_KEPT))));
    }

    private int integer(String key, int missing) {
        String value = values.getProperty(key);
        return value == null ? missing : Integer.parseInt(value.strip());
    }

    private Optional<Integer> optionalInteger(String key) {
        try {
            return Optional.ofNullable(values.getProperty(key)).map(v -> Integer.parseInt(v.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
