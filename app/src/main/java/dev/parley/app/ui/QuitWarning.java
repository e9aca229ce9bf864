package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

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
    static boolean confirm(Frame owner, List<Undelivered> undelivered) {
        QuitWarning warning = new QuitWarning(owner, undelivered);
        warning.setVisible(true);
        return warning.quit;
    }

    /** "2 messages to Bob and 1 to Carol wait…": who waits for what, and when it goes out. */
    static String explanation(List<Undelivered> undelivered) {
        StringBuilder who = new StringBuilder();
        for (int i = 0; i < undelivered.size(); i++) {
            Undelivered waiting = undelivered.get(i);
            if (i > 0) {
                who.append(text(i == undelivered.size() - 1 ? "quit.and" : "quit.comma"));
            }
            who.append(text(i == 0 ? "quit.firstWaiting" : "quit.waiting", waiting.messages(), waiting.name()));
        }
        boolean one = undelivered.size() == 1 && undelivered.getFirst().messages() == 1;
        return text(one ? "quit.explanation.one" : "quit.explanation", who);
    }
}
