package dev.parley.app.ui.actions;

import java.awt.event.ActionEvent;
import javax.swing.AbstractAction;
import javax.swing.Action;

/** Small helpers the action components share. */
final class ActionsSupport {
    private ActionsSupport() {
    }

    static Action action(Runnable run) {
        return new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                run.run();
            }
        };
    }
}
