package dev.parley.app.ui;

import dev.parley.crypto.MessageId;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.swing.AbstractButton;
import javax.swing.JDialog;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.MenuSelectionManager;
import javax.swing.SwingUtilities;

/**
 * How long a message action takes from Alice's window to Bob's: two windows in this JVM over real engines on
 * loopback. For each of react, edit and delete for everyone, the time from the user's last step in Alice's window
 * (the reaction picked; Enter in the composer editing; "Delete for everyone" confirmed), done on the EDT by the same
 * call the menu makes, until Bob's row for that message shows the change (read on Bob's EDT, polled every 0.2 ms).
 * The timed clicks are {@code doClick(0)}: the plain {@code doClick()} holds the button pressed for 68 ms on the EDT
 * before it fires, as no real click does, and once made react and delete for everyone read ~70 ms slower than edit
 * (which the composer's Enter starts without a button).
 * Each round sends a fresh message from Alice and does the three actions on it; the first {@value #WARM_UP} rounds
 * are not counted. Needs a display (run under xvfb-run). From the app module, after {@code test-compile} and with
 * the class path written by {@code dependency:build-classpath}, {@code ActionRoundTripBenchmark [ROUNDS]} (default
 * 50):
 * <pre>
 * xvfb-run -a -s "-screen 0 1600x1000x24" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
 *     --enable-native-access=ALL-UNNAMED \
 *     -cp target/test-classes:target/classes:$(cat target/classpath.txt) dev.parley.app.ui.ActionRoundTripBenchmark 50
 * </pre>
 */
public final class ActionRoundTripBenchmark {
    private static final int WARM_UP = 10;
    /** A lost change would otherwise hang the run; far beyond any round trip on loopback. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private ActionRoundTripBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // System.exit: the windows' AWT threads would otherwise keep the JVM alive, after the figures or a failure.
        try {
            measure(args.length > 0 ? Integer.parseInt(args[0]) : 50);
            System.exit(0);
        } catch (Exception | AssertionError failure) {
            failure.printStackTrace();
            System.exit(1);
        }
    }

    private static void measure(int rounds) throws Exception {
        Path folder = Files.createTempDirectory("parley-action-bench");
        Map<String, List<Double>> millis = new LinkedHashMap<>();
        for (String action : List.of("react", "edit", "delete for everyone")) {
            millis.put(action, new ArrayList<>());
        }
        try (TestPeer alice = TestPeer.start(folder, "Alice"); TestPeer bob = TestPeer.start(folder, "Bob")) {
            TestPeer.befriend(alice, bob);
            MessageId opener = alice.engine().chat().send(bob.peerId(), "let's measure");
            awaitOnEdt("Bob has the first message", () -> bob.engine().history().newest(alice.peerId(), 10)
                    .messages().stream().anyMatch(message -> message.id().equals(opener)));
            MainWindow aliceWindow = window(alice, folder.resolve("alice-window"), 0);
            MainWindow bobWindow = window(bob, folder.resolve("bob-window"), 560);
            onEdt(() -> {
                aliceWindow.openConversation(bob.peerId());
                bobWindow.openConversation(alice.peerId());
                return true;
            });
            ConversationPanel alicePanel = aliceWindow.conversationPanel();
            ConversationPanel bobPanel = bobWindow.conversationPanel();
            for (int round = 0; round < WARM_UP + rounds; round++) {
                MessageId id = sendFromComposer(alicePanel, "round " + round);
                awaitOnEdt("round " + round + " in Bob's window", () -> bobPanel.timeline().row(id).isPresent());
                double reacted = react(alicePanel, bobPanel, id);
                double edited = edit(alicePanel, bobPanel, id, "round " + round + ", edited");
                double deleted = deleteForEveryone(alicePanel, bobPanel, id);
                if (round >= WARM_UP) {
                    millis.get("react").add(reacted);
                    millis.get("edit").add(edited);
                    millis.get("delete for everyone").add(deleted);
                }
            }
            onEdt(() -> {
                aliceWindow.dispose();
                bobWindow.dispose();
                return true;
            });
        }
        System.out.printf(Locale.ROOT, "from Alice's window to Bob's row, %d rounds after %d warm-up:%n", rounds,
                WARM_UP);
        millis.forEach((action, values) -> System.out.printf(Locale.ROOT,
                "  %-20s p50 %6.1f ms, p90 %6.1f ms, max %6.1f ms%n", action, percentile(values, 50),
                percentile(values, 90), percentile(values, 100)));
    }

    /** Sends {@code text} as the composer's Send button does; the id the engine gave the message. */
    private static MessageId sendFromComposer(ConversationPanel panel, String text) throws Exception {
        onEdt(() -> {
            panel.composer().setText(text);
            buttons(panel.composer()).stream().filter(button -> "send".equals(button.getName())).findFirst()
                    .orElseThrow().doClick();
            return true;
        });
        awaitOnEdt("\"" + text + "\" sent", () -> sentRow(panel, text).isPresent());
        return onEdt(() -> sentRow(panel, text).orElseThrow().message().id());
    }

    private static Optional<MessageRow> sentRow(ConversationPanel panel, String text) {
        return panel.timeline().rows().stream().filter(row -> !row.provisional() && row.message().text().equals(text))
                .findFirst();
    }

    /** The menu's React, then 👍 in the picker; timed from the pick. */
    private static double react(ConversationPanel alice, ConversationPanel bob, MessageId id) throws Exception {
        openMenu(alice, id);
        clickMenuItem(alice, "messageActions", "actionReact");
        awaitOnEdt("the picker shows", () -> shownPopup(alice, "reactionPicker").isPresent());
        JMenuItem thumbsUp = onEdt(() -> {
            JPopupMenu picker = shownPopup(alice, "reactionPicker").orElseThrow();
            MenuSelectionManager.defaultManager().clearSelectedPath();
            picker.setVisible(false);
            return item(picker, "react 👍");
        });
        return timed(() -> thumbsUp.doClick(0), () -> bob.timeline().row(id)
                .filter(row -> row.chips().byEmoji().containsKey("👍")).isPresent());
    }

    /** The menu's Edit, then Enter in the composer with the new text; timed from Enter. */
    private static double edit(ConversationPanel alice, ConversationPanel bob, MessageId id, String text)
            throws Exception {
        openMenu(alice, id);
        clickMenuItem(alice, "messageActions", "actionEdit");
        awaitOnEdt("the composer edits", () -> !alice.composer().contextText().isEmpty());
        return timed(() -> {
            if (!alice.actions().sentAsEdit(text)) {
                throw new IllegalStateException("the composer was not editing message " + id);
            }
        }, () -> bob.timeline().row(id).filter(row -> row.message().text().equals(text)).isPresent());
    }

    /** The menu's Delete for everyone, then the confirmation's button; timed from the confirmation. */
    private static double deleteForEveryone(ConversationPanel alice, ConversationPanel bob, MessageId id)
            throws Exception {
        openMenu(alice, id);
        clickMenuItem(alice, "messageActions", "actionDeleteForEveryone");
        awaitOnEdt("the confirmation shows", () -> confirmation().isPresent());
        AbstractButton confirm = onEdt(() -> confirmation().orElseThrow());
        return timed(() -> confirm.doClick(0), () -> bob.timeline().row(id).filter(MessageRow::deleted).isPresent());
    }

    /** Opens the action menu on the message's bubble, as a right-click does. */
    private static void openMenu(ConversationPanel panel, MessageId id) throws Exception {
        onEdt(() -> {
            MessageRow row = panel.timeline().row(id).orElseThrow();
            panel.actions().openMenu(row, row.textPane(), 5, 5);
            return true;
        });
        awaitOnEdt("the menu shows", () -> shownPopup(panel, "messageActions").isPresent());
    }

    /** Clicks an item of the popup shown; the popup closes first, as after a real click. */
    private static void clickMenuItem(ConversationPanel panel, String popup, String name) throws Exception {
        onEdt(() -> {
            JPopupMenu shown = shownPopup(panel, popup).orElseThrow();
            JMenuItem item = item(shown, name);
            MenuSelectionManager.defaultManager().clearSelectedPath();
            shown.setVisible(false);
            item.doClick();
            return true;
        });
    }

    private static Optional<JPopupMenu> shownPopup(ConversationPanel panel, String name) {
        return panel.actions().popup().filter(popup -> name.equals(popup.getName()));
    }

    private static JMenuItem item(JPopupMenu popup, String name) {
        return Arrays.stream(popup.getComponents()).filter(JMenuItem.class::isInstance).map(JMenuItem.class::cast)
                .filter(item -> name.equals(item.getName())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no item " + name + " in " + popup.getName()));
    }

    /** The "Delete for everyone" button of the confirmation shown. */
    private static Optional<AbstractButton> confirmation() {
        return Arrays.stream(Window.getWindows()).filter(window -> window instanceof JDialog dialog
                        && "confirmDelete".equals(dialog.getName()) && dialog.isShowing())
                .flatMap(dialog -> buttons(dialog).stream())
                .filter(button -> "Delete for everyone".equals(button.getText())).findFirst();
    }

    private static List<AbstractButton> buttons(java.awt.Container container) {
        List<AbstractButton> found = new ArrayList<>();
        for (java.awt.Component child : container.getComponents()) {
            if (child instanceof AbstractButton button) {
                found.add(button);
            } else if (child instanceof java.awt.Container inner) {
                found.addAll(buttons(inner));
            }
        }
        return found;
    }

    /**
     * Runs {@code action} on the EDT, then reads {@code done} on the EDT until it holds; the milliseconds from just
     * before the action to the read that saw it.
     */
    private static double timed(Runnable action, Callable<Boolean> done) throws Exception {
        long[] started = new long[1];
        SwingUtilities.invokeAndWait(() -> {
            started[0] = System.nanoTime();
            action.run();
        });
        long seen = awaitOnEdt("the change in Bob's window", done);
        return (seen - started[0]) / 1e6;
    }

    /** Polls {@code condition} on the EDT until it holds; the {@link System#nanoTime} of the read that saw it. */
    private static long awaitOnEdt(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (true) {
            long[] seenAt = {0};
            SwingUtilities.invokeAndWait(() -> {
                try {
                    if (condition.call()) {
                        seenAt[0] = System.nanoTime();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("reading " + what, e);
                }
            });
            if (seenAt[0] != 0) {
                return seenAt[0];
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static MainWindow window(TestPeer peer, Path settingsFolder, int x) throws Exception {
        UiSettings settings = UiSettings.load(settingsFolder);
        return onEdt(() -> {
            Theme.install(false);
            MainWindow window = new MainWindow(peer.engine(), settings, () -> { });
            window.setBounds(x, 0, 1040, 700);
            window.showAndLoad(() -> { });
            return window;
        });
    }

    private static <T> T onEdt(Callable<T> read) throws Exception {
        List<T> result = new ArrayList<>(1);
        SwingUtilities.invokeAndWait(() -> {
            try {
                result.add(read.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return result.getFirst();
    }

    /** The nearest-rank percentile. */
    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
