package dev.parley.app.ui.lists;

import java.awt.event.ActionEvent;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.DefaultListSelectionModel;
import javax.swing.JComponent;
import javax.swing.JList;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;

/**
 * A list's single selection that reports each line the user chooses: a click, Enter, a move with the arrow keys.
 * Unlike a selection listener, which hears only changes, it reports a choice of the line already selected too: a
 * list beside another (the conversations beside the rooms) shows no selection while the other's line is open, and
 * its own line must still open with a click, or with Enter on the line the keyboard is on.
 *
 * <p>What is open is the program's to show ({@link #show}), which reports nothing. A press of the mouse is reported
 * once it is released, so that a drag across the lines opens only the last.
 */
public final class ChoiceSelectionModel<T> extends DefaultListSelectionModel {
    private static final String CHOOSE = "parley-choose-line";

    private final JList<T> list;
    private final Consumer<T> onChosen;
    private boolean showing;
    private T chosenWhileAdjusting;

    private ChoiceSelectionModel(JList<T> list, Consumer<T> onChosen) {
        this.list = list;
        this.onChosen = onChosen;
        setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
    }

    /** Makes {@code list} report the lines the user chooses to {@code onChosen}, Enter included. */
    public static <T> ChoiceSelectionModel<T> install(JList<T> list, Consumer<T> onChosen) {
        ChoiceSelectionModel<T> model = new ChoiceSelectionModel<>(list, onChosen);
        list.setSelectionModel(model);
        list.getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke("ENTER"), CHOOSE);
        list.getActionMap().put(CHOOSE, new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                model.chooseLead();
            }
        });
        return model;
    }

    @Override
    public void setSelectionInterval(int index0, int index1) {
        super.setSelectionInterval(index0, index1);
        if (showing || index1 < 0 || index1 >= list.getModel().getSize()) {
            return;
        }
        T line = list.getModel().getElementAt(index1);
        if (getValueIsAdjusting()) {
            chosenWhileAdjusting = line;
        } else {
            onChosen.accept(line);
        }
    }

    @Override
    public void setValueIsAdjusting(boolean adjusting) {
        super.setValueIsAdjusting(adjusting);
        if (!adjusting && chosenWhileAdjusting != null) {
            T line = chosenWhileAdjusting;
            chosenWhileAdjusting = null;
            onChosen.accept(line);
        }
    }

    /** Chooses the line the keyboard is on, as Enter does; nothing when the keyboard is on no line. */
    public void chooseLead() {
        choose(getLeadSelectionIndex());
    }

    /** Chooses line {@code index} for the user, as a click on it does; nothing for an index with no line. */
    public void choose(int index) {
        if (index >= 0 && index < list.getModel().getSize()) {
            setSelectionInterval(index, index);
            list.ensureIndexIsVisible(index);
        }
    }

    /**
     * Shows line {@code selected} as the open one (none for -1), scrolled into view, without reporting a choice, and
     * puts the keyboard on it, or on line {@code keyboard} when none is open (-1 for no line).
     */
    public void show(int selected, int keyboard) {
        showing = true;
        try {
            if (selected >= 0) {
                setSelectionInterval(selected, selected);
            } else {
                clearSelection();
                setAnchorSelectionIndex(keyboard);
                moveLeadSelectionIndex(keyboard);
            }
        } finally {
            showing = false;
        }
        if (selected >= 0) {
            list.ensureIndexIsVisible(selected);
        }
    }
}
