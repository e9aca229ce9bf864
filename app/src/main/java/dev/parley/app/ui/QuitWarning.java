package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.Chat;
import dev.parley.app.engine.room.Rooms;
import java.awt.Frame;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import java.util.stream.Stream;
import javax.swing.JButton;
import javax.swing.JDialog;

/**
 * Asked on Quit while messages of ours are not delivered yet, to contacts or to rooms where no member has them yet:
 * Parley has no server to hand them to, so they leave only while both Parley and a recipient run. "Quit anyway"
 * quits; "Cancel" (the default, and Escape) stays.
 */
final class QuitWarning extends JDialog {
    /** Messages waiting for one contact, or for one room's members ({@code room}). */
    record Waiting(String name, int messages, boolean room) {
        /** The contacts first, then the rooms, each as the engine lists them. */
        static List<Waiting> of(List<Chat.Undelivered> contacts, List<Rooms.Undelivered> rooms) {
            return Stream.concat(
                    contacts.stream().map(contact -> new Waiting(contact.name(), contact.messages(), false)),
                    rooms.stream().map(room -> new Waiting(room.name(), room.messages(), true))).toList();
        }
    }

    private static final int TEXT_WIDTH = 360;

    private boolean quit;

    private QuitWarning(Frame owner, List<Waiting> undelivered) {
        super(owner, text("quit.title"), true);
        setName("quitWarning");
        JButton quitAnyway = new JButton(text("quit.anyway"));
        quitAnyway.setName("quitAnyway");
        quitAnyway.addActionListener(event -> {
            quit = true;
            dispose();
        });
        JButton cancel = new JButton(text("dialog.cancel"));
        cancel.setName("cancelQuit");
        cancel.addActionListener(event -> dispose());
        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("quit.heading")))
                .full(Forms.note(explanation(undelivered), TEXT_WIDTH));
        Forms.layOut(this, form, owner, quitAnyway, cancel);
        // Cancel has the focus too, not only Enter: a key pressed in passing must not quit.
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent event) {
                cancel.requestFocusInWindow();
            }
        });
    }

    /** Asks, and returns whether the user chose to quit all the same. */
    static boolean confirm(Frame owner, List<Waiting> undelivered) {
        QuitWarning warning = new QuitWarning(owner, undelivered);
        warning.setVisible(true);
        return warning.quit;
    }

    /**
     * "2 messages to Bob and 1 in Book club wait…": who waits for what, and when it goes out; with a room among them
     * the sentence names its members too, since any one of them online takes its messages.
     */
    static String explanation(List<Waiting> undelivered) {
        StringBuilder who = new StringBuilder();
        for (int i = 0; i < undelivered.size(); i++) {
            Waiting waiting = undelivered.get(i);
            if (i > 0) {
                who.append(text(i == undelivered.size() - 1 ? "quit.and" : "quit.comma"));
            }
            String key = waiting.room() ? (i == 0 ? "quit.firstWaitingInRoom" : "quit.waitingInRoom")
                    : (i == 0 ? "quit.firstWaiting" : "quit.waiting");
            who.append(text(key, waiting.messages(), waiting.name()));
        }
        boolean one = undelivered.size() == 1 && undelivered.getFirst().messages() == 1;
        String sentence = undelivered.stream().anyMatch(Waiting::room)
                ? (one ? "quit.explanation.one.rooms" : "quit.explanation.rooms")
                : (one ? "quit.explanation.one" : "quit.explanation");
        return text(sentence, who);
    }
}
