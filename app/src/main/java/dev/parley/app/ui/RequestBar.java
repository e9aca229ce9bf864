package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

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
    private final JButton accept = new JButton(text("requests.accept"));
    private final JButton block = new JButton(text("requests.block"));

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
                message.setText("<html>" + text("requestBar.request", Forms.escape(contact.name()))
                        + ContactTexts.droppedMessages(contact).map(dropped -> "<br>" + Forms.escape(dropped) + ".")
                        .orElse("") + "</html>");
                accept.setText(text("requests.accept"));
                block.setVisible(true);
                setVisible(true);
            }
            case BLOCKED -> {
                message.setText("<html>" + text("requestBar.blocked", Forms.escape(contact.name())) + "</html>");
                accept.setText(text("contactInfo.unblock"));
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
