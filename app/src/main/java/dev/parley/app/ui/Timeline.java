package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.crypto.MessageId;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.LayoutManager;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.swing.JPanel;
import javax.swing.JViewport;
import javax.swing.Scrollable;
import javax.swing.SwingConstants;
import javax.swing.UIManager;

/**
 * The loaded part of a conversation, oldest at the top: one {@link MessageRow} per message, and only for the
 * messages loaded (the conversation view pages more in, and drops far-away ones, as the user scrolls). Lives in
 * a scroll pane and takes its width.
 */
final class Timeline extends JPanel implements Scrollable {
    private final TimeLabels labels;
    private final List<MessageRow> rows = new ArrayList<>();
    private final Map<MessageId, MessageRow> byId = new HashMap<>();
    private MessageId firstUnread;
    private MessageRow.Actions actions = MessageRow.NO_ACTIONS;
    private long shownAtNanos;
    private long paintedAtNanos;

    Timeline(TimeLabels labels) {
        super(new StackLayout());
        this.labels = labels;
        setName("timeline");
    }

    @Override
    public void updateUI() {
        super.updateUI();
        setBackground(UIManager.getColor("Panel.background"));
    }

    /** What each row's controls do, for the rows made from now on and those shown. */
    void setActions(MessageRow.Actions given) {
        actions = given;
        rows.forEach(row -> row.setActions(given));
    }

    /** A row for {@code message}; a 1:1 notice shows as a room's does, one quiet centred line in the window's words. */
    private MessageRow newRow(ChatMessage message) {
        MessageRow row = new MessageRow(ChatNotices.worded(message), labels);
        row.setActions(actions);
        if (message.notice().isPresent()) {
            row.setRoomLine(RoomLine.ofNotice());
        }
        return row;
    }

    /** Messages the user deleted for themselves are not shown. */
    private static List<ChatMessage> visible(List<ChatMessage> messages) {
        return messages.stream().filter(message -> !message.details().hidden()).toList();
    }

    /** Shows {@code messages} instead of what was shown; the unread line goes above {@code firstUnread}. */
    void replace(List<ChatMessage> messages, Optional<MessageId> firstUnread) {
        paintedAtNanos = 0;
        removeAll();
        rows.clear();
        byId.clear();
        this.firstUnread = firstUnread.orElse(null);
        append(messages);
    }

    void prepend(List<ChatMessage> older) {
        List<MessageRow> added = visible(older).stream().map(this::newRow).toList();
        for (int i = 0; i < added.size(); i++) {
            add(added.get(i), i);
            byId.put(added.get(i).message().id(), added.get(i));
        }
        rows.addAll(0, added);
        relink(0, added.size() + 1);
        revalidate();
    }

    void append(List<ChatMessage> newer) {
        int from = rows.size();
        for (ChatMessage message : visible(newer)) {
            MessageRow row = newRow(message);
            add(row);
            rows.add(row);
            byId.put(message.id(), row);
        }
        relink(from, rows.size());
        revalidate();
    }

    /** Drops the {@code count} oldest rows; returns the height they took. */
    int dropOldest(int count) {
        int height = 0;
        for (int i = 0; i < count && !rows.isEmpty(); i++) {
            MessageRow row = rows.removeFirst();
            height += row.heightFor(getWidth());
            remove(row);
            byId.remove(row.message().id());
        }
        relink(0, 1);
        revalidate();
        return height;
    }

    void dropNewest(int count) {
        for (int i = 0; i < count && !rows.isEmpty(); i++) {
            MessageRow row = rows.removeLast();
            remove(row);
            byId.remove(row.message().id());
        }
        revalidate();
    }

    /** Starts the clock that {@link #nanosToFirstPaint} reads: the user asked for a conversation now. */
    void startPaintClock() {
        shownAtNanos = System.nanoTime();
        paintedAtNanos = 0;
    }

    /** Nanoseconds from {@link #startPaintClock} to the first paint with messages in it; 0 until then. */
    long nanosToFirstPaint() {
        return paintedAtNanos == 0 ? 0 : paintedAtNanos - shownAtNanos;
    }

    @Override
    protected void paintChildren(Graphics g) {
        super.paintChildren(g);
        if (paintedAtNanos == 0 && !rows.isEmpty()) {
            paintedAtNanos = System.nanoTime();
        }
    }

    /** Takes a message out, e.g. one whose sending failed. */
    void removeMessage(MessageId id) {
        MessageRow row = byId.remove(id);
        if (row != null) {
            int index = rows.indexOf(row);
            rows.remove(index);
            remove(row);
            relink(index, index + 1);
            revalidate();
        }
    }

    /**
     * Moves the keyboard focus from {@code row} to the nearest message {@code step} rows away that takes it (-1: the
     * one above); false at either end of what is loaded. Nearing the top or bottom scrolls, which pages more in.
     */
    boolean focusBeside(MessageRow row, int step) {
        return focusFirstFrom(rows.indexOf(row) + step, step);
    }

    /** Puts the keyboard focus on the newest message that takes it; false when none does. */
    boolean focusNewest() {
        return focusFirstFrom(rows.size() - 1, -1);
    }

    /**
     * Puts the keyboard focus on the oldest loaded message that takes it (Home); older ones not yet paged in are not
     * fetched, as Home in a list goes to its first line, not to the start of the history.
     */
    boolean focusOldest() {
        return focusFirstFrom(0, 1);
    }

    /** Focuses the first message from row {@code start} on, {@code step} at a time, that takes the focus. */
    private boolean focusFirstFrom(int start, int step) {
        for (int i = start; i >= 0 && i < rows.size(); i += step) {
            if (rows.get(i).focusText()) {
                return true;
            }
        }
        return false;
    }

    int messageCount() {
        return rows.size();
    }

    List<MessageRow> rows() {
        return List.copyOf(rows);
    }

    Optional<ChatMessage> oldest() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst().message());
    }

    Optional<ChatMessage> newest() {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getLast().message());
    }

    Optional<MessageRow> row(MessageId id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** A message being sent gets its stored id. */
    void rename(MessageId provisional, MessageId stored) {
        MessageRow row = byId.remove(provisional);
        if (row != null) {
            ChatMessage m = row.message();
            row.setMessage(new ChatMessage(stored, m.peer(), m.outgoing(), m.text(), m.hlc(), m.sentAt(), m.status(),
                    m.details()));
            row.setProvisional(false);
            byId.put(stored, row);
        }
    }

    /** Moves a shown message's state forward; returns whether the message is shown. */
    boolean advance(MessageId id, MessageStatus state) {
        MessageRow row = byId.get(id);
        if (row != null) {
            row.advance(state);
        }
        return row != null;
    }

    private void relink(int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(to, rows.size()); i++) {
            MessageRow row = rows.get(i);
            row.setContext(i == 0 ? null : rows.get(i - 1).message(), row.message().id().equals(firstUnread));
        }
    }

    @Override
    public Dimension getPreferredScrollableViewportSize() {
        return getPreferredSize();
    }

    @Override
    public int getScrollableUnitIncrement(Rectangle visible, int orientation, int direction) {
        return UIScale.scale(24);
    }

    @Override
    public int getScrollableBlockIncrement(Rectangle visible, int orientation, int direction) {
        return orientation == SwingConstants.VERTICAL ? visible.height - UIScale.scale(48) : visible.width;
    }

    @Override
    public boolean getScrollableTracksViewportWidth() {
        return true;
    }

    @Override
    public boolean getScrollableTracksViewportHeight() {
        return getParent() instanceof JViewport viewport && getPreferredSize().height < viewport.getHeight();
    }

    /** Stacks the rows top to bottom at the width of the viewport, each as tall as its text needs. */
    private static final class StackLayout implements LayoutManager {
        @Override
        public void addLayoutComponent(String name, Component component) {
        }

        @Override
        public void removeLayoutComponent(Component component) {
        }

        @Override
        public Dimension preferredLayoutSize(Container parent) {
            int width = width(parent);
            int height = UIScale.scale(8);
            for (Component child : parent.getComponents()) {
                height += ((MessageRow) child).heightFor(width);
            }
            return new Dimension(width, height);
        }

        @Override
        public Dimension minimumLayoutSize(Container parent) {
            return new Dimension(0, 0);
        }

        @Override
        public void layoutContainer(Container parent) {
            int width = parent.getWidth();
            int total = preferredLayoutSize(parent).height;
            int y = Math.max(0, parent.getHeight() - total);
            for (Component child : parent.getComponents()) {
                int height = ((MessageRow) child).heightFor(width);
                child.setBounds(0, y, width, height);
                y += height;
            }
        }

        private static int width(Container parent) {
            return parent.getParent() instanceof JViewport viewport && viewport.getWidth() > 0 ? viewport.getWidth()
                    : parent.getWidth();
        }
    }
}
