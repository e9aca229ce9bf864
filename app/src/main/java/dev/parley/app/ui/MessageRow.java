package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.util.ColorFunctions;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.MessageStatus;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.time.Duration;
import java.util.Objects;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.UIManager;

/**
 * One message of the timeline: its bubble (ours on the right in the accent colour, theirs on the left), the time
 * and, on ours, the delivery mark; above it, when it starts a day, the day's name, and when it is the first unread,
 * the "New messages" line. Messages of one sender within a few minutes sit closer together.
 *
 * <p>Heights depend on the width (text wraps), so the timeline asks {@link #heightFor} and each row caches its
 * answer for the last width.
 */
final class MessageRow extends JComponent {
    /** Messages of one sender closer together than this form a group. */
    static final Duration GROUP_GAP = Duration.ofMinutes(5);

    private final TimeLabels labels;
    private final MessageText text;
    /** "Show more" under a long message's start, "Show less" under its whole text; hidden for a short one. */
    private final JButton more = new JButton("Show more");
    private ChatMessage message;
    private String dayHeading;
    private boolean unreadDivider;
    private boolean startsGroup = true;
    private boolean highlighted;
    private int measuredWidth = -1;
    private int measuredHeight;
    private final Rectangle bubble = new Rectangle();
    private boolean footerBesideText;
    /** Why this message of ours waits, for its tooltip while it does; null when nothing holds it up. */
    private String waitingReason;
    /** In a room: who wrote the message and how far ours reached, or that the line is a notice; null in 1:1. */
    private RoomLine roomLine;

    MessageRow(ChatMessage message, TimeLabels labels) {
        this.message = message;
        this.labels = labels;
        this.text = new MessageText(message.text());
        text.setName("messageText");
        add(text);
        more.setName("showMore");
        more.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
        more.putClientProperty(FlatClientProperties.STYLE, "margin: 2,0,2,0");
        more.addActionListener(event -> toggleExpanded());
        more.setVisible(text.collapsible());
        add(more);
        updateDescription();
    }

    private void toggleExpanded() {
        text.setExpanded(!text.expanded());
        more.setText(text.expanded() ? "Show less" : "Show more");
        measuredWidth = -1;
        revalidate();
        repaint();
    }


    ChatMessage message() {
        return message;
    }

    MessageText textPane() {
        return text;
    }

    /** The same message under its stored id and state (a message being sent gets its id once queued). */
    void setMessage(ChatMessage updated) {
        message = updated;
        updateDescription();
        repaint();
    }

    /** Shows the message as a line of a room (see {@link RoomLine}). */
    void setRoomLine(RoomLine line) {
        roomLine = line;
        text.setVisible(!line.notice());
        measuredWidth = -1;
        updateDescription();
        revalidate();
        repaint();
    }

    RoomLine roomLine() {
        return roomLine;
    }

    /** Moves the delivery state forward; a late or repeated report of an earlier state changes nothing. */
    void advance(MessageStatus state) {
        if (state.ordinal() > message.status().ordinal()) {
            setMessage(new ChatMessage(message.id(), message.peer(), message.outgoing(), message.text(),
                    message.hlc(), message.sentAt(), state));
        }
    }

    /**
     * Places the row among its neighbours: a day heading when the previous message was on another day (or there is
     * none), closer spacing within a sender's group, the unread line when this is the first unread message.
     */
    void setContext(ChatMessage previous, boolean firstUnread) {
        String heading = previous == null || !labels.day(previous.sentAt()).equals(labels.day(message.sentAt()))
                ? labels.dayHeading(labels.day(message.sentAt())) : null;
        boolean group = previous == null || heading != null || previous.outgoing() != message.outgoing()
                || !previous.peer().equals(message.peer())
                || Duration.between(previous.sentAt(), message.sentAt()).compareTo(GROUP_GAP) > 0;
        if (!Objects.equals(heading, dayHeading) || group != startsGroup || firstUnread != unreadDivider) {
            dayHeading = heading;
            startsGroup = group;
            unreadDivider = firstUnread;
            measuredWidth = -1;
            revalidate();
        }
    }

    String dayHeading() {
        return dayHeading;
    }

    boolean showsUnreadDivider() {
        return unreadDivider;
    }

    void setHighlighted(boolean on) {
        highlighted = on;
        repaint();
    }

    boolean highlighted() {
        return highlighted;
    }

    /** The bubble's bounds within this row (for scrolling to a message). */
    Rectangle bubbleBounds() {
        heightFor(getWidth());
        return new Rectangle(bubble);
    }

    /** Says in the tooltip why this message waits (for a pending one of ours), or nothing with null. */
    void setWaitingReason(String reason) {
        if (!Objects.equals(reason, waitingReason)) {
            waitingReason = reason;
            updateDescription();
        }
    }

    /** What the tooltip says: the full time and, for ours, the delivery state (and why it waits). */
    String description() {
        return text.getToolTipText();
    }

    private void updateDescription() {
        String when = labels.full(message.sentAt());
        if (roomLine != null) {
            text.setToolTipText(message.outgoing() ? when + " · " + roomLine.delivery() : when);
            text.getAccessibleContext().setAccessibleName(message.outgoing() ? "Your message"
                    : "Message from " + roomLine.senderName());
            return;
        }
        boolean waiting = waitingReason != null
                && (message.status() == MessageStatus.SENDING || message.status() == MessageStatus.SENT);
        text.setToolTipText(message.outgoing() ? when + " · " + DeliveryIcon.describe(message.status())
                + (waiting ? ". " + waitingReason : "") : when);
        text.getAccessibleContext().setAccessibleName(message.outgoing() ? "Your message" : "Message received");
    }

    @Override
    public void updateUI() {
        super.updateUI();
        measuredWidth = -1;
    }

    /** The row's height at {@code width}, laying the bubble out for it. */
    int heightFor(int width) {
        if (width == measuredWidth) {
            return measuredHeight;
        }
        if (roomLine != null && roomLine.notice()) {
            return measureNotice(width);
        }
        styleText();
        int side = UIScale.scale(16);
        int avatarSpace = showsAvatar() ? RoomLine.avatarSize() + UIScale.scale(8) : 0;
        int padX = UIScale.scale(12);
        int padY = UIScale.scale(7);
        int y = startsGroup ? UIScale.scale(8) : UIScale.scale(2);
        if (dayHeading != null) {
            y += headingHeight();
        }
        if (unreadDivider) {
            y += headingHeight();
        }
        if (namesSender()) {
            y += footerHeight() + UIScale.scale(2);
        }
        int maxInner = Math.max(UIScale.scale(60), Math.min(width * 3 / 4, UIScale.scale(620)) - 2 * padX
                - avatarSpace);
        int footer = footerWidth();
        int natural = text.getPreferredSize().width;
        int gap = UIScale.scale(10);
        footerBesideText = natural + gap + footer <= maxInner && !message.text().contains("\n") && !more.isVisible();
        int inner = footerBesideText ? natural + gap + footer : Math.max(Math.min(natural, maxInner), footer);
        int textWidth = footerBesideText ? natural : inner;
        text.setSize(textWidth, Short.MAX_VALUE);
        int textHeight = text.getPreferredSize().height;
        int footerHeight = footerHeight();
        int moreHeight = more.isVisible() ? more.getPreferredSize().height : 0;
        int innerHeight = footerBesideText ? Math.max(textHeight, footerHeight) : textHeight + moreHeight + footerHeight;
        int bubbleWidth = inner + 2 * padX;
        int x = message.outgoing() ? width - side - bubbleWidth : side + avatarSpace;
        bubble.setBounds(x, y, bubbleWidth, innerHeight + 2 * padY);
        text.setBounds(x + padX, y + padY, textWidth, textHeight);
        more.setBounds(x + padX, y + padY + textHeight, Math.min(textWidth, more.getPreferredSize().width), moreHeight);
        measuredWidth = width;
        measuredHeight = y + bubble.height + UIScale.scale(2);
        return measuredHeight;
    }

    @Override
    public void doLayout() {
        heightFor(getWidth());
    }

    private void styleText() {
        if (message.outgoing()) {
            text.style(Color.WHITE, Color.WHITE);
            more.setForeground(Color.WHITE);
        } else {
            text.style(UIManager.getColor("Label.foreground"), UIManager.getColor("Component.linkColor"));
            more.setForeground(UIManager.getColor("Component.linkColor"));
        }
    }

    private Font smallFont() {
        Font font = UIManager.getFont("defaultFont");
        return font.deriveFont(font.getSize2D() - 2f);
    }

    private int footerWidth() {
        int time = getFontMetrics(smallFont()).stringWidth(labels.messageTime(message.sentAt()));
        return message.outgoing() ? time + UIScale.scale(3) + DeliveryIcon.width() : time;
    }

    private int footerHeight() {
        return getFontMetrics(smallFont()).getHeight();
    }

    private int headingHeight() {
        return getFontMetrics(smallFont()).getHeight() + UIScale.scale(22);
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        heightFor(getWidth());
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Color foreground = UIManager.getColor("Label.foreground");
            Color muted = UIManager.getColor("Label.disabledForeground");
            int y = startsGroup ? UIScale.scale(8) : UIScale.scale(2);
            g.setFont(smallFont().deriveFont(Font.BOLD));
            if (dayHeading != null) {
                paintDayHeading(g, y, foreground, muted);
                y += headingHeight();
            }
            if (unreadDivider) {
                paintUnreadDivider(g, y);
            }
            if (roomLine != null && roomLine.notice()) {
                roomLine.paintNotice(this, g, message.text(), bubble, muted);
                return;
            }
            if (namesSender()) {
                g.setFont(smallFont().deriveFont(Font.BOLD));
                roomLine.paintSender(this, g, bubble, footerHeight());
            }
            if (showsAvatar() && startsGroup) {
                roomLine.paintAvatar(g, UIScale.scale(16), bubble.y);
            }
            if (highlighted) {
                Color selection = UIManager.getColor("Component.accentColor");
                g.setColor(new Color(selection.getRed(), selection.getGreen(), selection.getBlue(), 48));
                g.fillRect(0, bubble.y - UIScale.scale(3), getWidth(), bubble.height + UIScale.scale(6));
            }
            int arc = UIScale.scale(16);
            g.setColor(bubbleColour());
            g.fillRoundRect(bubble.x, bubble.y, bubble.width, bubble.height, arc, arc);
            paintFooter(g, muted);
        } finally {
            g.dispose();
        }
    }

    /** A room's member's message names its sender above the first of a group. */
    private boolean namesSender() {
        return roomLine != null && !roomLine.notice() && !message.outgoing() && startsGroup;
    }

    /** A room's members' messages leave room on the left for their avatars, shown by the first of a group. */
    private boolean showsAvatar() {
        return roomLine != null && !roomLine.notice() && !message.outgoing();
    }

    /** A notice takes one centred, quiet line below any heading. */
    private int measureNotice(int width) {
        int y = startsGroup ? UIScale.scale(8) : UIScale.scale(2);
        if (dayHeading != null) {
            y += headingHeight();
        }
        if (unreadDivider) {
            y += headingHeight();
        }
        bubble.setBounds(UIScale.scale(16), y, Math.max(0, width - UIScale.scale(32)), footerHeight());
        measuredWidth = width;
        measuredHeight = y + bubble.height + UIScale.scale(6);
        return measuredHeight;
    }

    private Color bubbleColour() {
        if (message.outgoing()) {
            return UIManager.getColor("Component.accentColor");
        }
        Color background = UIManager.getColor("List.background");
        return FlatLaf.isLafDark() ? ColorFunctions.lighten(background, 0.06f) : background;
    }

    private void paintDayHeading(Graphics2D g, int y, Color foreground, Color muted) {
        FontMetrics metrics = g.getFontMetrics();
        int width = metrics.stringWidth(dayHeading) + UIScale.scale(20);
        int height = metrics.getHeight() + UIScale.scale(6);
        int x = (getWidth() - width) / 2;
        int top = y + UIScale.scale(8);
        g.setColor(new Color(foreground.getRed(), foreground.getGreen(), foreground.getBlue(), 22));
        g.fillRoundRect(x, top, width, height, height, height);
        g.setColor(muted);
        g.drawString(dayHeading, x + UIScale.scale(10), top + UIScale.scale(3) + metrics.getAscent());
    }

    private void paintUnreadDivider(Graphics2D g, int y) {
        FontMetrics metrics = g.getFontMetrics();
        String label = "New messages";
        int labelWidth = metrics.stringWidth(label);
        int middle = y + headingHeight() / 2;
        Color accent = UIManager.getColor("Component.accentColor");
        g.setColor(accent);
        int x = (getWidth() - labelWidth) / 2;
        int side = UIScale.scale(16);
        g.fillRect(side, middle, x - UIScale.scale(10) - side, UIScale.scale(1));
        g.fillRect(x + labelWidth + UIScale.scale(10), middle, getWidth() - side - x - labelWidth - UIScale.scale(10),
                UIScale.scale(1));
        g.drawString(label, x, middle - metrics.getHeight() / 2 + metrics.getAscent());
    }

    private void paintFooter(Graphics2D g, Color muted) {
        g.setFont(smallFont());
        FontMetrics metrics = g.getFontMetrics();
        Color colour = message.outgoing() ? new Color(255, 255, 255, 200) : muted;
        int padX = UIScale.scale(12);
        int padY = UIScale.scale(7);
        int right = bubble.x + bubble.width - padX;
        int bottom = bubble.y + bubble.height - padY;
        int top = bottom - metrics.getHeight();
        if (message.outgoing()) {
            right -= DeliveryIcon.width();
            DeliveryIcon.paint(g, message.status(), right + UIScale.scale(3), top, metrics.getHeight(),
                    message.status() == MessageStatus.READ ? Color.WHITE : colour);
            right -= UIScale.scale(3);
        }
        String time = labels.messageTime(message.sentAt());
        g.setColor(colour);
        g.drawString(time, right - metrics.stringWidth(time), top + metrics.getAscent());
    }
}
