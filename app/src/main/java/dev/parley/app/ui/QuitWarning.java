package dev.parley.app.ui;

import dev.parley.app.engine.Chat.Undelivered;
import java.awt.Frame;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import javax.swing.JButton;
import javax.swing.JDialog;

/**
 * Asked on Quit while messages of ours are not delivered yet: Parley has no server to hand them to, so they leave
 * only while both Parley and the contact run. "Quit anyway" quits; "Cancel" (the default, and Escape) stays.
 */
final class QuitWarning extends JDialog {
    private static final int TEXT_WIDTH = 360;

    private boolean quit;

    private QuitWarning(Frame owner, List<Undelivered> undelivered) {
        super(owner, "Quit Parley?", true);
        setName("quitWarning");
        JButton quitAnyway = new JButton("Quit anyway");
        quitAnyway.setName("quitAnyway");
        quitAnyway.addActionListener(event -> {
            quit = true;
            dispose();
        });
        JButton cancel = new JButton("Cancel");
        cancel.setName("cancelQuit");
        cancel.addActionListener(event -> dispose());
        Forms.Grid form = new Forms.Grid()
                .full(Forms.title("Not delivered yet"))
                .full(Forms.note(text(undelivered), TEXT_WIDTH));
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
    static boolean confirm(Frame owner, List<Undelivered> undelivered) {
        QuitWarning warning = new QuitWarning(owner, undelivered);
        warning.setVisible(true);
        return warning.quit;
    }

    /** "2 messages to Bob and 1 to Carol wait…": who waits for what, and when it goes out. */
    static String text(List<Undelivered> undelivered) {
        StringBuilder who = new StringBuilder();
        for (int i = 0; i < undelivered.size(); i++) {
            Undelivered waiting = undelivered.get(i);
            if (i > 0) {
                who.append(i == undelivered.size() - 1 ? " and " : ", ");
            }
            who.append(waiting.messages());
            if (i == 0) {
                who.append(waiting.messages() == 1 ? " message" : " messages");
            }
            who.append(" to ").append(waiting.name());
        }
        boolean one = undelivered.size() == 1 && undelivered.getFirst().messages() == 1;
        return who + (one ? " is" : " are") + " not delivered yet. Parley delivers messages while you and the"
                + " contact are both online; if you quit now, " + (one ? "it waits" : "they wait")
                + " until you start Parley again.";
    }
}
