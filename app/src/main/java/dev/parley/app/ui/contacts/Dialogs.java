package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import java.awt.BorderLayout;
import java.awt.Dialog;
import java.awt.FlowLayout;
import java.awt.Window;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import javax.swing.Box;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JPanel;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/** How the contact dialogs open, close and size themselves: modal over their owner, Escape closes, Enter confirms. */
final class Dialogs {
    private static final int BUTTON_GAP = 8;

    private Dialogs() {
    }

    /** A modal dialog that Escape closes. */
    static JDialog create(Window owner, String title, String name) {
        return create(owner, title, name, Dialog.ModalityType.APPLICATION_MODAL);
    }

    /** A dialog that Escape closes. */
    static JDialog create(Window owner, String title, String name, Dialog.ModalityType modality) {
        JDialog dialog = new JDialog(owner, title, modality);
        dialog.setName(name);
        dialog.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        dialog.getRootPane().registerKeyboardAction(event -> dialog.dispose(),
                KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
        return dialog;
    }

    /**
     * Shows {@code content} in the dialog with {@code defaultButton} on Enter and the focus in {@code firstFocus},
     * over its owner; returns when a modal dialog is closed.
     */
    static void show(JDialog dialog, JComponent content, JButton defaultButton, JComponent firstFocus) {
        dialog.setContentPane(content);
        dialog.getRootPane().setDefaultButton(defaultButton);
        dialog.addWindowListener(new WindowAdapter() {
            @Override
            public void windowOpened(WindowEvent event) {
                firstFocus.requestFocusInWindow();
            }
        });
        fit(dialog);
        dialog.setLocationRelativeTo(dialog.getOwner());
        dialog.setVisible(true);
    }

    /**
     * Sizes the dialog to its content. Twice: wrapped text knows its height only once the first pass has given it
     * its width.
     */
    static void fit(Dialog dialog) {
        dialog.pack();
        dialog.pack();
    }

    /** A dialog's bottom row: {@code leading} buttons on the left, {@code trailing} on the right. */
    static JPanel buttonRow(JComponent[] leading, JComponent... trailing) {
        JPanel row = new JPanel(new BorderLayout());
        row.add(flow(FlowLayout.LEADING, leading), BorderLayout.LINE_START);
        row.add(flow(FlowLayout.TRAILING, trailing), BorderLayout.LINE_END);
        return row;
    }

    private static JPanel flow(int alignment, JComponent... parts) {
        JPanel flow = new JPanel(new FlowLayout(alignment, 0, 0));
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                flow.add(Box.createHorizontalStrut(UIScale.scale(BUTTON_GAP)));
            }
            flow.add(parts[i]);
        }
        return flow;
    }
}
