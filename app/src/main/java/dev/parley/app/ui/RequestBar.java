package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.ui.contacts.ContactTexts;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.UIManager;

/**
 * Above the composer when the peer is not an accepted contact: a request ("wrote to you first": Accept or Block)
 * or a blocked peer (Unblock). Hidden for contacts.
 */
final class RequestBar extends JPanel {
    private final JLabel message = new JLabel();
    private final JButton accept = new JButton("Accept");
    private final JButton block = new JButton("Block");

    RequestBar(Runnable onAccept, Runnable onBlock) {
        super(new BorderLayout(UIScale.scale(12), 0));
        setName("requestBar");
        accept.setName("accept");
        block.setName("block");
        accept.addActionListener(event -> onAccept.run());
        block.addActionListener(event -> onBlock.run());
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, UIScale.scale(8), 0));
        buttons.setOpaque(false);
        buttons.add(block);
        buttons.add(accept);
        add(message, BorderLayout.CENTER);
        add(buttons, BorderLayout.EAST);
        setVisible(false);
    }

    @Override
    public void updateUI() {
        super.updateUI();
        setBackground(UIManager.getColor("Panel.background"));
        setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 0, 0, UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(UIScale.scale(10), UIScale.scale(16), UIScale.scale(2),
                        UIScale.scale(16))));
    }

    void show(ContactInfo contact) {
        switch (contact.status()) {
            case ACCEPTED -> setVisible(false);
            case REQUEST -> {
                message.setText("<html><b>" + Forms.escape(contact.name()) + "</b> is not in your contacts and wrote"
                        + " to you first. Accept to reply, or block to hear nothing more from them."
                        + ContactTexts.droppedMessages(contact).map(dropped -> "<br>" + dropped + ".").orElse("")
                        + "</html>");
                accept.setText("Accept");
                block.setVisible(true);
                setVisible(true);
            }
            case BLOCKED -> {
                message.setText("<html>You blocked <b>" + Forms.escape(contact.name()) + "</b>. Nothing they send"
                        + " reaches you.</html>");
                accept.setText("Unblock");
                block.setVisible(false);
                setVisible(true);
            }
        }
    }

    /** Puts the focus on Accept (or Unblock), when the bar is shown. */
    void focusAction() {
        if (isVisible()) {
            accept.requestFocusInWindow();
        }
    }

    String messageText() {
        return message.getText();
    }
}
