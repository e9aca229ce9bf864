package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.InvalidInviteException;
import dev.parley.crypto.InviteCode;
import java.awt.Cursor;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.io.IOException;
import java.util.Optional;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.ScrollPaneConstants;
import javax.swing.TransferHandler;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/**
 * "Add contact": the user pastes (or drops) an invite code someone sent them. A code the engine refuses keeps the
 * dialog open with the reason in plain words, so the user can fix it, until the field holds a whole code; a good
 * one closes it with the new contact.
 */
public final class AddContactDialog {
    private static final int CODE_ROWS = 7;
    private static final int CODE_COLUMNS = 60;

    private final Engine engine;
    private final JDialog dialog;
    private final JTextArea code = new JTextArea(CODE_ROWS, CODE_COLUMNS);
    private final JScrollPane codeScroll = new JScrollPane(code, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
            ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
    private final MessageArea problem = new MessageArea("addContactProblem");
    private final JButton paste;
    private final JButton cancel;
    private final JButton add;
    private boolean adding;
    private ContactInfo added;

    private AddContactDialog(Window owner, Engine engine) {
        this.engine = engine;
        this.dialog = Dialogs.create(owner, text("addContact.title"), "addContactDialog");
        paste = Widgets.button(text("addContact.paste"), "pasteInvite", text("addContact.paste.description"),
                event -> pasteFromClipboard());
        cancel = Widgets.button(text("dialog.cancel"), "cancelAddContact", text("dialog.cancel"),
                event -> dialog.dispose());
        add = Widgets.button(text("addContact.add"), "addContact", text("addContact.add.description"),
                event -> addContact());
        add.setEnabled(false);

        code.setName("inviteCode");
        code.getAccessibleContext().setAccessibleName(text("addContact.code"));
        code.setLineWrap(true);
        code.putClientProperty(FlatClientProperties.STYLE_CLASS, "monospaced");
        code.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, "parley:…");
        // A code is one word: Enter adds it (the default button) and Tab moves on, as in a one-line field.
        code.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "none");
        code.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK), "none");
        Widgets.tabMovesFocus(code);
        code.setTransferHandler(new CodeTransfer(code.getTransferHandler()));
        code.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent event) {
                codeEdited();
            }

            @Override
            public void removeUpdate(DocumentEvent event) {
                codeEdited();
            }

            @Override
            public void changedUpdate(DocumentEvent event) {
                codeEdited();
            }
        });
    }

    /**
     * Shows the dialog over {@code owner} and returns, once it is closed, the contact added, or nothing when the
     * user cancelled.
     */
    public static Optional<ContactInfo> show(Window owner, Engine engine) {
        AddContactDialog addContact = new AddContactDialog(owner, engine);
        Dialogs.show(addContact.dialog, addContact.content(), addContact.add, addContact.code);
        return Optional.ofNullable(addContact.added);
    }

    private JComponent content() {
        JPanel content = Widgets.column(10, 20,
                Widgets.label(text("addContact.heading"), "addContactTitle", "h3"),
                Widgets.explanation(text("addContact.explanation"), "addContactExplanation"),
                codeScroll,
                problem,
                Dialogs.buttonRow(new JComponent[] {paste}, cancel, add));
        // Dropping a code anywhere on the dialog, not only on the field, fills the field.
        content.setTransferHandler(code.getTransferHandler());
        return content;
    }

    /** A code that is whole now clears the problem shown for what the field held before. */
    private void codeEdited() {
        add.setEnabled(!adding && !code.getText().isBlank());
        codeScroll.putClientProperty(FlatClientProperties.OUTLINE, null);
        if (!adding && isWholeCode(code.getText())) {
            problem.clear();
        }
    }

    private static boolean isWholeCode(String text) {
        try {
            InviteCode.parse(text);
            return true;
        } catch (InvalidInviteException e) {
            return false;
        }
    }

    private void pasteFromClipboard() {
        Clipboard clipboard = Toolkit.getDefaultToolkit().getSystemClipboard();
        if (!clipboard.isDataFlavorAvailable(DataFlavor.stringFlavor)) {
            problem.showText(text("addContact.clipboardEmpty"));
            return;
        }
        code.paste();
    }

    private void addContact() {
        String invite = code.getText().strip();
        if (invite.isEmpty() || adding) {
            return;
        }
        setAdding(true);
        problem.clear();
        UiTasks.run(() -> engine.contacts().add(invite), contact -> {
            added = contact;
            dialog.dispose();
        }, error -> {
            setAdding(false);
            codeScroll.putClientProperty(FlatClientProperties.OUTLINE, FlatClientProperties.OUTLINE_ERROR);
            problem.showText(ContactTexts.inviteProblem(error));
            code.requestFocusInWindow();
        });
    }

    private void setAdding(boolean now) {
        adding = now;
        add.setText(text(now ? "addContact.adding" : "addContact.add"));
        add.setEnabled(!now && !code.getText().isBlank());
        code.setEditable(!now);
        paste.setEnabled(!now);
        dialog.setCursor(now ? Cursor.getPredefinedCursor(Cursor.WAIT_CURSOR) : null);
    }

    /**
     * Pasting or dropping puts the text in place of whatever the field held, without the white space around it:
     * a code is pasted whole. Copying and dragging out work as in any text field.
     */
    private final class CodeTransfer extends TransferHandler {
        private final TransferHandler standard;

        CodeTransfer(TransferHandler standard) {
            this.standard = standard;
        }

        @Override
        public boolean canImport(TransferSupport support) {
            return !adding && support.isDataFlavorSupported(DataFlavor.stringFlavor);
        }

        @Override
        public boolean importData(TransferSupport support) {
            if (!canImport(support)) {
                return false;
            }
            try {
                code.setText(((String) support.getTransferable().getTransferData(DataFlavor.stringFlavor)).strip());
                code.setCaretPosition(0);
            } catch (UnsupportedFlavorException | IOException e) {
                problem.showText(text("addContact.unreadable", e.getMessage()));
                return false;
            }
            code.requestFocusInWindow();
            return true;
        }

        @Override
        public int getSourceActions(JComponent component) {
            return standard.getSourceActions(component);
        }

        @Override
        public void exportAsDrag(JComponent component, InputEvent event, int action) {
            standard.exportAsDrag(component, event, action);
        }

        @Override
        public void exportToClipboard(JComponent component, Clipboard clipboard, int action) {
            standard.exportToClipboard(component, clipboard, action);
        }
    }
}
