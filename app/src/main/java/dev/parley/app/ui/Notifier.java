package dev.parley.app.ui;

import java.awt.AWTException;
import java.awt.Image;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import javax.swing.JFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the user of a new message while the window is not in front: through the system's notification area where
 * there is one, else with a {@link Toast} in the window. Silent when notifications are off in the settings.
 */
final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final JFrame window;
    private final UiSettings settings;
    private TrayIcon trayIcon;

    Notifier(JFrame window, UiSettings settings) {
        this.window = window;
        this.settings = settings;
    }

    /** A message from {@code name} arrived; says so unless the window has the focus or notifications are off. */
    void messageArrived(String name, String text) {
        if (!settings.notifications() || window.isFocused()) {
            return;
        }
        String shown = Forms.shorten(text.replaceAll("\\s+", " ").strip(), 200);
        if (tray()) {
            trayIcon.displayMessage(name, shown, TrayIcon.MessageType.NONE);
        } else {
            Toast.of(window).show(name, shown);
        }
    }

    private boolean tray() {
        if (trayIcon != null) {
            return true;
        }
        if (!SystemTray.isSupported()) {
            return false;
        }
        TrayIcon icon = new TrayIcon(window.getIconImages().isEmpty() ? blank() : window.getIconImages().getFirst(),
                "Parley");
        icon.setImageAutoSize(true);
        icon.addActionListener(event -> window.toFront());
        try {
            SystemTray.getSystemTray().add(icon);
        } catch (AWTException e) {
            log.info("no notification area after all ({}); new messages show inside the window", e.getMessage());
            return false;
        }
        trayIcon = icon;
        return true;
    }

    /** Removes the tray icon when the window closes. */
    void close() {
        if (trayIcon != null) {
            SystemTray.getSystemTray().remove(trayIcon);
            trayIcon = null;
        }
    }

    private static Image blank() {
        return new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
    }
}
