package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Chat;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.ui.contacts.Avatars;
import dev.parley.app.ui.contacts.ContactTexts;
import java.awt.BorderLayout;
import java.awt.Cursor;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.GridLayout;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.Timer;
import javax.swing.UIManager;

/** The top of an open conversation: avatar, name, and whether they are online, when last seen, or typing. */
final class ConversationHeader extends JPanel {
    /** How long "typing…" shows after a notice; a little over the interval at which notices come. */
    static final int TYPING_SHOWN_MILLIS = (int) Chat.TYPING_INTERVAL.toMillis() + 2_000;

    private final TimeLabels labels;
    private final JLabel name = new JLabel();
    private final JLabel status = new JLabel();
    private Optional<ConnectionInfo> connection = Optional.empty();
    private final Timer typingEnds;
    private ContactInfo contact;
    private boolean typing;

    ConversationHeader(TimeLabels labels) {
        super(new BorderLayout(UIScale.scale(12), 0));
        this.labels = labels;
        setName("conversationHeader");
        name.setName("contactName");
        status.setName("contactStatus");
        name.putClientProperty(FlatClientProperties.STYLE_CLASS, "h3");
        typingEnds = new Timer(TYPING_SHOWN_MILLIS, event -> {
            typing = false;
            showStatus();
        });
        typingEnds.setRepeats(false);
        JComponent avatar = new JComponent() {
            @Override
            protected void paintComponent(Graphics g) {
                if (contact != null) {
                    int size = Math.min(getWidth(), getHeight());
                    Avatars.paint((Graphics2D) g, contact.peer(), contact.name(), 0, (getHeight() - size) / 2, size);
                    if (contact.online()) {
                        Avatars.paintOnline((Graphics2D) g, 0, (getHeight() - size) / 2, size,
                                UIManager.getColor("Panel.background"));
                    }
                }
            }
        };
        avatar.setPreferredSize(new Dimension(UIScale.scale(40), UIScale.scale(40)));
        JPanel words = new JPanel(new GridLayout(2, 1));
        words.setOpaque(false);
        words.add(name);
        words.add(status);
        add(avatar, BorderLayout.WEST);
        add(words, BorderLayout.CENTER);
    }

    /** A line under the header in the theme's border colour, again after a theme change. */
    @Override
    public void updateUI() {
        super.updateUI();
        setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(0, 0, 1, 0, UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(16), UIScale.scale(8),
                        UIScale.scale(16))));
    }

    /** Runs {@code action} when the header is clicked, as in other messengers: it opens the contact's details. */
    void onClicked(Runnable action) {
        setCursor(Cursor.getPredefinedCursor(Cursor.HAND_CURSOR));
        setToolTipText(text("header.contactInfo.tooltip"));
        getAccessibleContext().setAccessibleName(text("header.contactInfo"));
        addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                if (contact != null) {
                    action.run();
                }
            }
        });
    }

    void show(ContactInfo shown) {
        if (contact == null || !contact.peer().equals(shown.peer())) {
            typing = false;
            typingEnds.stop();
            connection = Optional.empty();
        }
        contact = shown;
        name.setText(shown.name());
        showStatus();
        repaint();
    }

    void typing() {
        typing = true;
        typingEnds.restart();
        showStatus();
    }

    /** The peer's message arrived: they stopped typing it. */
    void stoppedTyping() {
        typing = false;
        typingEnds.stop();
        showStatus();
    }

    /** How the shown contact is connected now; empty when not connected or not known yet. */
    void connection(Optional<ConnectionInfo> now) {
        connection = now;
        showStatus();
    }

    String statusText() {
        return status.getText();
    }

    private void showStatus() {
        if (contact == null) {
            return;
        }
        String style = "foreground: $Label.disabledForeground";
        String text;
        if (typing) {
            text = text("header.typing");
            style = "foreground: $Component.accentColor";
        } else if (contact.status() == ContactStatus.REQUEST) {
            text = text("header.request");
        } else if (contact.status() == ContactStatus.BLOCKED) {
            text = text("contact.state.blocked");
        } else if (contact.online()) {
            text = connection.map(info -> text("header.onlineVia", ContactTexts.connection(info)))
                    .orElse(text("header.online"));
            style = "foreground: $Component.accentColor";
        } else {
            text = contact.lastSeen().map(labels::lastSeen).orElse(text("header.neverSeen"));
        }
        status.setText(text);
        status.putClientProperty(FlatClientProperties.STYLE, style);
    }
}
