package dev.parley.app.ui.actions;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.ui.i18n.Texts;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.Window;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/**
 * Where to forward a message: the user's contacts and rooms, narrowed by a filter as they type; Enter or Forward
 * sends to the one selected, Escape or Cancel sends nothing.
 */
public final class ForwardDialog extends JDialog {
    /** A conversation the message can go to, as the list shows it. */
    public record Choice(String label, ConversationRef conversation) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final List<Choice> choices;
    private final DefaultListModel<Choice> shown = new DefaultListModel<>();
    private final JList<Choice> list = new JList<>(shown);
    private final JTextField filter = new JTextField(24);
    private final JButton send = new JButton(Texts.text("actions.forward.send"));
    private Choice chosen;

    private ForwardDialog(Window owner, List<Choice> choices) {
        super(owner, Texts.text("actions.forward.title"), ModalityType.DOCUMENT_MODAL);
        this.choices = choices;
        setName("forwardDialog");
        filter.setName("forwardFilter");
        filter.getAccessibleContext().setAccessibleName(Texts.text("actions.forward.filter"));
        filter.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, Texts.text("actions.forward.filter"));
        list.setName("forwardTargets");
        list.getAccessibleContext().setAccessibleName(Texts.text("actions.forward.targets"));
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setVisibleRowCount(8);
        list.addListSelectionListener(event -> send.setEnabled(list.getSelectedValue() != null));
        list.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                if (event.getClickCount() == 2) {
                    choose();
                }
            }
        });
        send.setName("forwardSend");
        send.getAccessibleContext().setAccessibleName(Texts.text("actions.forward.send"));
        send.addActionListener(event -> choose());
        JButton cancel = new JButton(Texts.text("actions.cancel"));
        cancel.setName("forwardCancel");
        cancel.getAccessibleContext().setAccessibleName(Texts.text("actions.cancel"));
        cancel.addActionListener(event -> dispose());
        filter.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                refilter();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                refilter();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                refilter();
            }
        });
        // Down from the filter into the list, as in the window's own search box.
        filter.getInputMap().put(KeyStroke.getKeyStroke("DOWN"), "parley-down");
        filter.getActionMap().put("parley-down", ActionsSupport.action(list::requestFocusInWindow));
        getRootPane().registerKeyboardAction(event -> dispose(), KeyStroke.getKeyStroke("ESCAPE"),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        getRootPane().setDefaultButton(send);
        JPanel content = new JPanel(new BorderLayout(0, UIScale.scale(8)));
        content.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(12), UIScale.scale(12), UIScale.scale(12),
                UIScale.scale(12)));
        content.add(filter, BorderLayout.NORTH);
        content.add(new JScrollPane(list), BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, UIScale.scale(6), 0));
        buttons.add(cancel);
        buttons.add(send);
        content.add(buttons, BorderLayout.SOUTH);
        setContentPane(content);
        refilter();
        pack();
    }

    /** Asks where to forward to; empty when the user cancelled. Blocks (modally) until the dialog closes. */
    public static Optional<ConversationRef> choose(Component parent, List<Choice> choices) {
        ForwardDialog dialog = new ForwardDialog(SwingUtilities.getWindowAncestor(parent), choices);
        dialog.setLocationRelativeTo(parent);
        dialog.setVisible(true);
        return Optional.ofNullable(dialog.chosen).map(Choice::conversation);
    }

    private void refilter() {
        String words = filter.getText().strip().toLowerCase(Locale.ROOT);
        shown.clear();
        choices.stream().filter(choice -> choice.label().toLowerCase(Locale.ROOT).contains(words))
                .forEach(shown::addElement);
        if (!shown.isEmpty()) {
            list.setSelectedIndex(0);
        }
        send.setEnabled(list.getSelectedValue() != null);
    }

    private void choose() {
        chosen = list.getSelectedValue();
        if (chosen != null) {
            dispose();
        }
    }
}
