package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.RoomId;
import java.awt.AWTException;
import java.awt.Image;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.swing.JFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the user what the engine reports. A new message, request or invitation while the window is not in front:
 * through the system's notification area where there is one, else with a {@link Toast} in the window; silent when
 * notifications are off in the settings. An error, and any other notice: with a toast, always.
 */
final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final JFrame window;
    private final UiSettings settings;
    private final Predicate<RoomId> roomInSight;
    private final Function<RoomId, Optional<String>> roomName;
    private TrayIcon trayIcon;

    /**
     * Follows the engine's events while {@code window} is displayable.
     *
     * @param roomInSight whether the user is looking at a room, whose new lines then need no announcement
     * @param roomName    a room's name as the window lists it, to say where a line was written
     */
    Notifier(JFrame window, Engine engine, UiSettings settings, Predicate<RoomId> roomInSight,
             Function<RoomId, Optional<String>> roomName) {
        this.window = window;
        this.settings = settings;
        this.roomInSight = roomInSight;
        this.roomName = roomName;
        UiTasks.followWhileDisplayable(window, engine, this::onEvent);
    }

    /** Something the user should know that is not an error of theirs, e.g. a setting that could not apply. */
    void notice(String text) {
        Toast.of(window).show(text("app.name"), text);
    }

    private void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.MessageReceived received ->
                    messageArrived(received.senderName(), received.message().text());
            case EngineEvent.Request request -> messageArrived(text("notify.request", request.name()),
                    request.message().text());
            case EngineEvent.RoomInvitation invitation ->
                    messageArrived(invitation.fromName(), text("notify.invitation", invitation.room().name()));
            case EngineEvent.RoomMessageReceived received -> {
                RoomMessage message = received.message();
                if (!message.notice() && !message.outgoing() && !roomInSight.test(message.room())) {
                    messageArrived(roomName.apply(message.room())
                            .map(room -> text("notify.inRoom", message.senderName(), room))
                            .orElse(text("notify.inARoom", message.senderName())), message.text());
                }
            }
            case EngineEvent.Error error -> notice(error.message());
            default -> {
                // What the window shows in place, where the user sees it.
            }
        }
    }

    /** A message from {@code name} arrived; says so unless the window has the focus or notifications are off. */
    private void messageArrived(String name, String text) {
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
                text("app.name"));
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
