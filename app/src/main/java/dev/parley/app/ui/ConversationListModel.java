package dev.parley.app.ui;

import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ConversationOverview;
import dev.parley.transport.multiformats.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.swing.AbstractListModel;

/**
 * The conversation list's lines, newest activity first as the engine gives them, narrowed by the search box's
 * text (a part of the name, any case). Presence and typing change lines in place between reloads.
 */
final class ConversationListModel extends AbstractListModel<ConversationListModel.Line> {
    /** One conversation as the list shows it. */
    record Line(ConversationOverview overview, boolean typing) {
        PeerId peer() {
            return overview.contact().peer();
        }

        String name() {
            return overview.contact().name();
        }
    }

    private List<ConversationOverview> all = List.of();
    private final Set<PeerId> typing = new HashSet<>();
    private List<Line> shown = List.of();
    private String filter = "";

    @Override
    public int getSize() {
        return shown.size();
    }

    @Override
    public Line getElementAt(int index) {
        return shown.get(index);
    }

    void replaceAll(List<ConversationOverview> overviews) {
        all = List.copyOf(overviews);
        reshow();
    }

    /** Shows only the conversations whose name contains {@code text}, ignoring case; blank shows all. */
    void setFilter(String text) {
        filter = text.strip().toLowerCase(Locale.ROOT);
        reshow();
    }

    String filter() {
        return filter;
    }

    /** Every conversation, whatever the filter, newest activity first. */
    List<ConversationOverview> all() {
        return all;
    }

    /** Whether there are no conversations at all, whatever the filter. */
    boolean noConversations() {
        return all.isEmpty();
    }

    int totalUnread() {
        return all.stream().mapToInt(ConversationOverview::unread).sum();
    }

    int indexOf(PeerId peer) {
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).peer().equals(peer)) {
                return i;
            }
        }
        return -1;
    }

    Optional<ConversationOverview> find(PeerId peer) {
        return all.stream().filter(o -> o.contact().peer().equals(peer)).findFirst();
    }

    /** A contact came online or went offline: its line changes now, its last-seen time with the next reload. */
    void setOnline(PeerId peer, boolean online) {
        List<ConversationOverview> changed = new ArrayList<>(all.size());
        for (ConversationOverview o : all) {
            ContactInfo c = o.contact();
            changed.add(!c.peer().equals(peer) ? o : new ConversationOverview(
                    c.withOnline(online, online ? c.lastSeen() : Optional.of(Instant.now())), o.lastMessage(),
                    o.unread(), o.lastActivity()));
        }
        replaceAll(changed);
    }

    void setTyping(PeerId peer, boolean isTyping) {
        boolean changed = isTyping ? typing.add(peer) : typing.remove(peer);
        if (changed) {
            int index = indexOf(peer);
            if (index >= 0) {
                shown = new ArrayList<>(shown);
                shown.set(index, new Line(shown.get(index).overview(), isTyping));
                fireContentsChanged(this, index, index);
            }
        }
    }

    private void reshow() {
        int before = shown.size();
        List<Line> lines = new ArrayList<>();
        for (ConversationOverview o : all) {
            if (filter.isEmpty() || o.contact().name().toLowerCase(Locale.ROOT).contains(filter)) {
                lines.add(new Line(o, typing.contains(o.contact().peer())));
            }
        }
        shown = lines;
        if (before > 0) {
            fireIntervalRemoved(this, 0, before - 1);
        }
        if (!shown.isEmpty()) {
            fireIntervalAdded(this, 0, shown.size() - 1);
        }
    }
}
