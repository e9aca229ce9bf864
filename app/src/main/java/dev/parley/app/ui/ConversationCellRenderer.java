package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.ConversationOverview;
import dev.parley.app.ui.contacts.Avatars;
import dev.parley.app.ui.emoji.EmojiText;
import dev.parley.app.ui.lists.FocusRing;
import dev.parley.app.ui.lists.UnreadBadge;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;
import javax.swing.UIManager;

/**
 * Paints a line of the conversation list: avatar with presence dot, name and time, the last message (or "typing…"),
 * names and messages with their colour emoji, and the unread count; a ring around the line the keyboard is on while the list has the focus. Its accessible name
 * says the same in words, for screen readers and tests.
 */
final class ConversationCellRenderer extends JPanel implements ListCellRenderer<ConversationListModel.Line> {
    private static final int PREVIEW_CHARACTERS = 300;

    private final TimeLabels labels;
    private ConversationListModel.Line line;
    private boolean selected;
    private boolean keyboardOn;

    ConversationCellRenderer(TimeLabels labels) {
        this.labels = labels;
    }

    @Override
    public Component getListCellRendererComponent(JList<? extends ConversationListModel.Line> list,
                                                  ConversationListModel.Line value, int index, boolean isSelected,
                                                  boolean cellHasFocus) {
        this.line = value;
        this.selected = isSelected;
        this.keyboardOn = cellHasFocus;
        setBackground(isSelected ? list.getSelectionBackground() : list.getBackground());
        setForeground(isSelected ? list.getSelectionForeground() : list.getForeground());
        setFont(list.getFont());
        getAccessibleContext().setAccessibleName(describe(value));
        return this;
    }

    /** The line in words: "Bob, 2 unread, 14:05: see you". */
    String describe(ConversationListModel.Line value) {
        ConversationOverview o = value.overview();
        StringBuilder text = new StringBuilder(o.contact().name());
        if (o.contact().status() == ContactStatus.REQUEST) {
            text.append(", ").append(text("list.line.request"));
        }
        if (o.unread() > 0) {
            text.append(", ").append(text("list.line.unread", o.unread()));
        }
        text.append(", ").append(labels.listTime(o.lastActivity())).append(": ").append(preview(value));
        return text.toString();
    }

    private static String preview(ConversationListModel.Line value) {
        if (value.typing()) {
            return text("list.line.typing");
        }
        return value.overview().lastMessage()
                .map(m -> m.notice().map(ChatNotices::text)
                        .orElseGet(() -> m.outgoing() ? text("list.line.fromYou", oneLine(m)) : oneLine(m)))
                .orElse(text("list.line.noMessages"));
    }

    /** The start of a message on one line; a preview never shows more than fits a wide window. */
    private static String oneLine(ChatMessage message) {
        String text = message.text();
        return text.substring(0, Math.min(text.length(), PREVIEW_CHARACTERS)).replaceAll("\\s+", " ").strip();
    }

    @Override
    public Dimension getPreferredSize() {
        return new Dimension(UIScale.scale(240), UIScale.scale(64));
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(getBackground());
            g.fillRect(0, 0, getWidth(), getHeight());
            paintLine(g);
            FocusRing.aroundLine(g, this, keyboardOn);
        } finally {
            g.dispose();
        }
    }

    private void paintLine(Graphics2D g) {
        ConversationOverview o = line.overview();
        int pad = UIScale.scale(12);
        int avatar = UIScale.scale(44);
        int top = (getHeight() - avatar) / 2;
        Avatars.paint(g, o.contact().peer(), o.contact().name(), pad, top, avatar);
        if (o.contact().online()) {
            Avatars.paintOnline(g, pad, top, avatar, getBackground());
        }
        Color muted = selected ? getForeground() : UIManager.getColor("Label.disabledForeground");
        Color accent = selected ? getForeground() : UIManager.getColor("Component.accentColor");
        int left = pad + avatar + UIScale.scale(12);
        int right = getWidth() - pad;

        Font small = getFont().deriveFont(getFont().getSize2D() - 1f);
        g.setFont(small);
        FontMetrics smallMetrics = g.getFontMetrics();
        String time = labels.listTime(o.lastActivity());
        int timeWidth = smallMetrics.stringWidth(time);
        int nameBaseline = getHeight() / 2 - UIScale.scale(4);
        int previewBaseline = getHeight() / 2 + UIScale.scale(16);
        g.setColor(o.unread() > 0 ? accent : muted);
        g.drawString(time, right - timeWidth, nameBaseline);

        g.setFont(getFont().deriveFont(Font.BOLD));
        g.setColor(getForeground());
        FontMetrics nameMetrics = g.getFontMetrics();
        EmojiText.draw(this, g, EmojiText.clip(o.contact().name(), nameMetrics,
                right - timeWidth - UIScale.scale(8) - left), left, nameBaseline);

        int previewRight = right;
        if (o.unread() > 0) {
            previewRight = paintBadge(g, small, o.unread(), right, previewBaseline) - UIScale.scale(8);
        }
        g.setFont(getFont());
        FontMetrics previewMetrics = g.getFontMetrics();
        int x = left;
        if (o.contact().status() == ContactStatus.REQUEST && !line.typing()) {
            String tag = text("list.line.requestTag");
            g.setColor(accent);
            g.drawString(tag, x, previewBaseline);
            x += previewMetrics.stringWidth(tag);
        }
        g.setColor(line.typing() ? accent : muted);
        EmojiText.draw(this, g, EmojiText.clip(preview(line), previewMetrics, previewRight - x), x, previewBaseline);
    }

    /** Paints the unread count in a pill ending at {@code right}; returns the pill's left edge. */
    private int paintBadge(Graphics2D g, Font font, int unread, int right, int baseline) {
        return UnreadBadge.paint(g, font, unread, right, baseline, selected, getForeground(), getBackground());
    }
}
