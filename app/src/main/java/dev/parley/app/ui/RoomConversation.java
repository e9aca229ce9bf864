package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryCursor;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.api.RoomDelivery;
import dev.parley.app.engine.api.RoomHistoryPage;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.rooms.RoomTexts;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.Point;
import java.awt.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.BoundedRangeModel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JViewport;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingUtilities;

/**
 * A room's conversation with the parts of the 1:1 view: the {@link Timeline} of {@link MessageRow}s (bubbles, day
 * headings, groups of one sender, the sender's name and avatar on the first of a group, how far each of ours
 * reached), opened on the newest page, paging older ones in as the user nears the top and newer ones near the
 * bottom, and holding at most {@link #MAX_ROWS} lines, as the 1:1 view does: a page loaded at one end drops as many
 * lines at the far end, what is on screen staying in place. The same {@link Composer} (Enter sends, Shift+Enter
 * starts a line). Membership notices show as quiet centred lines. While
 * its window is open it follows the open room's new lines and deliveries, and the changes message actions make
 * (its {@link TimelineActions}, the same as the 1:1 view's).
 */
public final class RoomConversation extends JPanel {
    static final int PAGE = 50;
    /** The most lines loaded at once, as in the 1:1 view: a room of any length costs the same to hold. */
    static final int MAX_ROWS = ConversationPanel.MAX_ROWS;
    /** How many older pages going to a reply's original reads at most before it gives up. */
    static final int MAX_PAGES_TO_REVEAL = 40;

    private final Engine engine;
    private final TimeLabels labels = TimeLabels.system();
    private final Timeline timeline = new Timeline(labels);
    private final JScrollPane scroll;
    private final Composer composer;
    private final Runnable onShown;
    private final TimelineActions actions;
    /** A reply's original being paged towards, until it is loaded; null when none is. */
    private MessageRef revealing;
    private int revealPages;
    private RoomInfo room;
    private String composerNote = "";
    private Optional<HistoryCursor> older = Optional.empty();
    /** Where the lines after those loaded start; empty while the newest line is loaded. */
    private Optional<HistoryCursor> newer = Optional.empty();
    private boolean loadingOlder;
    private boolean loadingNewer;
    /** Counts openings, so that pages loaded for a room no longer open are dropped. */
    private int opening;

    /** @param onShown runs when new lines of the open room are on screen (to mark them read) */
    public RoomConversation(Engine engine, UiSettings settings, Runnable onShown) {
        super(new BorderLayout());
        this.engine = engine;
        this.onShown = onShown;
        timeline.setName("roomTimeline");
        timeline.getAccessibleContext().setAccessibleName(Texts.text("room.view.messages"));
        scroll = new JScrollPane(timeline, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.getVerticalScrollBar().getModel().addChangeListener(event -> pageIfNearEdge());
        // Rooms have no typing notices: the composer tells no one.
        composer = new Composer(this::send, () -> { }, settings);
        composer.nameParts("roomComposer", "roomSend");
        actions = new TimelineActions(engine, timeline, composer, settings, labels, new TimelineActions.View() {
            @Override
            public Optional<ConversationRef> conversation() {
                return Optional.ofNullable(room).map(shown -> new ConversationRef.Room(shown.id()));
            }

            @Override
            public PeerId author(ChatMessage message) {
                return message.peer();
            }

            @Override
            public String nameOf(PeerId peer) {
                return room == null ? peer.toString() : room.members().stream()
                        .filter(member -> member.peer().equals(peer)).map(RoomInfo.Member::name).findFirst()
                        .orElse(peer.toString());
            }

            @Override
            public void reveal(MessageRef message) {
                revealPages = 0;
                revealMessage(message);
            }

            @Override
            public void sentHere(MessageId id) {
                if (newer.isPresent()) {
                    // Sent while far back in the room: the view goes to the newest lines, the message among them.
                    open(room);
                    return;
                }
                RoomId shown = room.id();
                int current = opening;
                UiTasks.run(() -> withDetails(engine.rooms().newest(shown, PAGE).messages().stream()
                        .filter(line -> line.id().equals(id)).toList()).stream().findFirst(), copy -> {
                            if (current == opening) {
                                copy.ifPresent(stored -> {
                                    received(stored);
                                    refreshDeliveries();
                                });
                            }
                        }, failure -> composer.showError(Forms.sentence(failure.getMessage())));
            }
        });
        add(scroll, BorderLayout.CENTER);
        add(composer, BorderLayout.SOUTH);
        // Files dropped anywhere on the conversation are sent to it.
        setTransferHandler(composer.fileDrop(null));
        UiTasks.followWhileDisplayable(this, engine, this::onEvent);
    }

    /** Opens {@code opened} at its newest page, loaded off the EDT. */
    public void open(RoomInfo opened) {
        opening++;
        int current = opening;
        room = opened;
        older = Optional.empty();
        newer = Optional.empty();
        loadingOlder = false;
        loadingNewer = false;
        revealing = null;
        actions.cancel();
        timeline.startPaintClock();
        timeline.replace(List.of(), Optional.empty());
        composer.clear();
        updated(opened);
        UiTasks.run(() -> withDetails(engine.rooms().newest(opened.id(), PAGE)), page -> {
            if (current == opening) {
                timeline.replace(List.of(), Optional.empty());
                append(page);
                scrollToBottom();
                // Set once at the bottom: while the page is laid out the view is at its top, which would page.
                older = page.older();
                onShown.run();
            }
        }, failure -> composer.showError(Texts.text("room.view.loadFailed", failure.getMessage())));
    }

    /** The conversation's actions, shared with the 1:1 view. */
    TimelineActions actions() {
        return actions;
    }

    Composer composer() {
        return composer;
    }

    /** A page of lines with their replies, reactions and edits, which the room's history leaves out. */
    private RoomHistoryPage withDetails(RoomHistoryPage page) throws EngineException {
        return new RoomHistoryPage(withDetails(page.messages()), page.older(), page.newer(), page.deliveries());
    }

    private List<RoomMessage> withDetails(List<RoomMessage> lines) throws EngineException {
        List<RoomMessage> detailed = new ArrayList<>();
        for (RoomMessage line : lines) {
            detailed.add(line.notice() ? line : new RoomMessage(line.room(), line.id(), line.sender(),
                    line.senderName(), line.outgoing(), false, line.text(), line.hlc(), line.sentAt(),
                    engine.actions().details(new MessageRef(new ConversationRef.Room(line.room()), line.sender(),
                            line.id()))));
        }
        return detailed;
    }

    /** Scrolls to a loaded line and highlights it; pages older lines in until it is loaded, if it is not yet. */
    private void revealMessage(MessageRef message) {
        Optional<MessageRow> row = timeline.row(message.id());
        if (row.isPresent()) {
            revealing = null;
            timeline.rows().forEach(shown -> shown.setHighlighted(shown == row.get()));
            scrollToCentre(row.get());
        } else if (older.isPresent() && revealPages < MAX_PAGES_TO_REVEAL) {
            revealing = message;
            revealPages++;
            if (!loadingOlder) {
                loadOlder(older.get());
            }
        } else {
            revealing = null;
            composer.showError(Texts.text("room.view.originalNotFound"));
        }
    }

    private void scrollToCentre(MessageRow row) {
        scroll.validate();
        JViewport viewport = scroll.getViewport();
        int extent = viewport.getExtentSize().height;
        java.awt.Rectangle bubble = row.bubbleBounds();
        int target = row.getY() + bubble.y + bubble.height / 2 - extent / 2;
        viewport.setViewPosition(new Point(0, Math.clamp(target, 0, Math.max(0, timeline.getHeight() - extent))));
    }

    /** The room changed: whether and where the user may write follows. */
    public void updated(RoomInfo changed) {
        room = changed;
        composerNote = switch (changed.status()) {
            case JOINED -> Texts.text("room.view.writeTo", changed.name());
            case INVITED -> Texts.text("room.view.joinToWrite");
            case LEFT -> changed.removal().map(removal -> Texts.text("room.view.removedBy", removal.byName()))
                    .orElse(Texts.text("room.view.youLeft"));
        };
        if (changed.status() == RoomStatus.JOINED) {
            composer.enableFor(composerNote);
        } else {
            composer.disableBecause(composerNote);
        }
    }

    /** What the composer says while empty: whom the user writes to, or why they cannot. */
    public String placeholder() {
        return composerNote;
    }

    /** Puts the focus in the composer; false when nothing can be written. */
    public boolean focusComposer() {
        return composer.focusInput();
    }

    /** The lines shown, oldest first, in words: "Me: …", "Bob: …", or a notice's sentence. */
    public List<String> lineTexts() {
        return timeline.rows().stream().map(RoomConversation::describe).toList();
    }

    /** For each of our messages shown, oldest first, how far it reached: "sending", "delivered to 1 of 2". */
    public List<String> deliveryNotes() {
        return timeline.rows().stream().filter(row -> row.message().outgoing() && !row.roomLine().notice())
                .map(row -> row.roomLine().delivery()).toList();
    }

    /** The vertical scroll bar's model, e.g. for a test that scrolls to the top. */
    public BoundedRangeModel scrollModel() {
        return scroll.getVerticalScrollBar().getModel();
    }

    private static String describe(MessageRow row) {
        RoomLine line = row.roomLine();
        if (line.notice()) {
            return row.message().text();
        }
        return (row.message().outgoing() ? Texts.text("room.view.me") : line.senderName()) + ": "
                + (row.deleted() ? Texts.text("conversation.deleted") : row.message().text());
    }

    private void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.RoomMessageReceived received when isOpen(received.message().room()) ->
                    received(received.message());
            case EngineEvent.RoomDelivered delivered when isOpen(delivered.room()) -> refreshDeliveries();
            case EngineEvent.MessageChanged changed when actions.concerns(changed) -> actions.changed(changed);
            case EngineEvent.FileProgress progress when actions.concerns(progress) ->
                    actions.fileProgressed(progress);
            default -> {
                // Another room's, or not a room's.
            }
        }
    }

    private boolean isOpen(RoomId id) {
        return room != null && room.id().equals(id);
    }

    private void received(RoomMessage message) {
        if (newer.isPresent() || timeline.row(message.id()).isPresent()) {
            // Not at the newest lines: it loads with them when the user scrolls down.
            return;
        }
        if (timeline.newest().filter(newest -> newest.hlc() > message.hlc()).isPresent()) {
            // A line from before the newest shown (a member who was offline, synced): the page is read again in order.
            open(room);
            return;
        }
        boolean atBottom = atBottom();
        show(List.of(message), Map.of(), false);
        dropOldestBeyondLimit();
        if (atBottom) {
            scrollToBottom();
        }
        onShown.run();
    }

    private void append(RoomHistoryPage page) {
        show(page.messages(), page.deliveries(), false);
    }

    /** Adds {@code lines} after (or, {@code before}, above) those shown, each dressed as a room's line. */
    private void show(List<RoomMessage> lines, Map<MessageId, RoomDelivery> deliveries, boolean before) {
        List<ChatMessage> messages = lines.stream().map(line -> asMessage(line, deliveries.get(line.id()))).toList();
        if (before) {
            timeline.prepend(messages);
        } else {
            timeline.append(messages);
        }
        for (RoomMessage line : lines) {
            timeline.row(line.id()).ifPresent(row -> row.setRoomLine(roomLine(line, deliveries.get(line.id()))));
        }
    }

    private static ChatMessage asMessage(RoomMessage line, RoomDelivery delivery) {
        MessageStatus status = !line.outgoing() || line.notice() ? MessageStatus.RECEIVED
                : delivery != null && delivery.complete() ? MessageStatus.DELIVERED : MessageStatus.SENT;
        return new ChatMessage(line.id(), line.sender(), line.outgoing(), RoomTexts.line(line), line.hlc(),
                line.sentAt(), status, line.details());
    }

    private RoomLine roomLine(RoomMessage line, RoomDelivery delivery) {
        if (line.notice()) {
            return RoomLine.ofNotice();
        }
        if (line.outgoing()) {
            return RoomLine.ours(line.sender(), line.senderName(),
                    delivery != null ? delivery : new RoomDelivery(0, othersIn(room)));
        }
        return RoomLine.from(line.sender(), line.senderName());
    }

    private int othersIn(RoomInfo shown) {
        return (int) shown.members().stream().filter(member -> !member.peer().equals(engine.peerId())).count();
    }

    private void send(String text) {
        if (room == null || room.status() != RoomStatus.JOINED) {
            return;
        }
        if (actions.sentAsEdit(text)) {
            return;
        }
        RoomInfo to = room;
        int current = opening;
        Optional<MessageRef> replyTo = actions.replyTarget();
        actions.cancel();
        composer.clear();
        MessageId provisional = MessageId.random();
        if (newer.isEmpty()) {
            timeline.append(List.of(new ChatMessage(provisional, engine.peerId(), true, text, 0,
                    Instant.now(), MessageStatus.SENDING, replyTo.map(actions::quoting).orElse(
                            dev.parley.app.engine.api.MessageDetails.NONE))));
            timeline.row(provisional).ifPresent(row -> {
                row.setProvisional(true);
                row.setRoomLine(RoomLine.sending(engine.peerId(), Texts.text("room.view.me")));
            });
            dropOldestBeyondLimit();
            scrollToBottom();
        }
        UiTasks.run(() -> {
            MessageId id = replyTo.isPresent() ? engine.actions().reply(replyTo.get(), text)
                    : engine.rooms().say(to.id(), text);
            return withDetails(engine.rooms().newest(to.id(), 20).messages().stream()
                    .filter(line -> line.id().equals(id)).toList()).stream().findFirst();
        }, sent -> {
            if (current != opening) {
                return;
            }
            boolean atBottom = atBottom();
            if (sent.isPresent() && newer.isEmpty() && storedInPlace(provisional, sent.get())) {
                if (atBottom) {
                    scrollToBottom();
                }
                onShown.run();
                refreshDeliveries();
                return;
            }
            timeline.removeMessage(provisional);
            if (newer.isPresent()) {
                // Written while far back in the room: the view goes to the newest lines, the message among them.
                open(to);
                return;
            }
            sent.ifPresent(stored -> {
                received(stored);
                refreshDeliveries();
            });
        }, failure -> {
            if (current == opening) {
                timeline.removeMessage(provisional);
                composer.restore(text);
                composer.showError(Texts.text("composer.notSent", EngineErrors.message(failure)));
            }
        });
    }

    /**
     * The row shown while our line was being sent becomes the stored line's row, where it is, when that is where the
     * room's clock puts the stored line too: after every stored line shown, none of them later than it. Taking the row
     * away and adding the same line again would drop the pointer's hover and a screen reader's place for nothing.
     * False, with nothing changed, when a line came in meanwhile (the stored line then goes where the clock puts it,
     * as any line does).
     */
    private boolean storedInPlace(MessageId provisional, RoomMessage stored) {
        Optional<MessageRow> shown = timeline.row(provisional);
        if (shown.isEmpty() || timeline.row(stored.id()).isPresent()) {
            return false;
        }
        List<MessageRow> rows = timeline.rows();
        int at = rows.indexOf(shown.get());
        boolean inOrder = rows.subList(at + 1, rows.size()).stream().allMatch(MessageRow::provisional)
                && rows.subList(0, at).stream().filter(row -> !row.provisional())
                        .allMatch(row -> row.message().hlc() <= stored.hlc());
        if (!inOrder) {
            return false;
        }
        timeline.rename(provisional, stored.id());
        ChatMessage message = asMessage(stored, null);
        MessageRow row = shown.get();
        row.setMessage(message);
        row.changed(message.text(), message.details());
        row.setRoomLine(roomLine(stored, null));
        return true;
    }

    /** Reads again how far each of our shown messages reached, and shows it. */
    private void refreshDeliveries() {
        RoomInfo shown = room;
        int current = opening;
        List<MessageId> ours = timeline.rows().stream()
                .filter(row -> row.message().outgoing() && !row.roomLine().notice()
                        && row.message().status() != MessageStatus.SENDING)
                .map(row -> row.message().id()).toList();
        if (ours.isEmpty()) {
            return;
        }
        UiTasks.run(() -> engine.rooms().deliveries(shown.id(), ours), deliveries -> {
            if (current != opening) {
                return;
            }
            deliveries.forEach((id, delivery) -> timeline.row(id).ifPresent(row -> {
                row.setRoomLine(RoomLine.ours(engine.peerId(), row.roomLine().senderName(), delivery));
                if (delivery.complete()) {
                    row.advance(MessageStatus.DELIVERED);
                }
            }));
        }, failure -> { });
    }

    private void pageIfNearEdge() {
        if (room == null || timeline.messageCount() == 0) {
            return;
        }
        BoundedRangeModel bar = scroll.getVerticalScrollBar().getModel();
        int margin = Math.max(UIScale.scale(200), bar.getExtent());
        if (bar.getValue() < margin && older.isPresent() && !loadingOlder) {
            loadOlder(older.get());
        }
        if (bar.getMaximum() - bar.getValue() - bar.getExtent() < margin && newer.isPresent() && !loadingNewer) {
            loadNewer(newer.get());
        }
    }

    private void loadOlder(HistoryCursor cursor) {
        loadingOlder = true;
        int current = opening;
        RoomId id = room.id();
        UiTasks.run(() -> withDetails(engine.rooms().before(id, cursor, PAGE)), page -> {
            if (current != opening) {
                return;
            }
            loadingOlder = false;
            JViewport viewport = scroll.getViewport();
            Point position = viewport.getViewPosition();
            int before = timeline.getPreferredSize().height;
            show(page.messages(), page.deliveries(), true);
            older = page.older();
            scroll.validate();
            int added = timeline.getPreferredSize().height - before;
            int overflow = timeline.messageCount() - MAX_ROWS;
            if (overflow > 0) {
                timeline.dropNewest(overflow);
                newer = timeline.newest().map(RoomConversation::cursor);
                scroll.validate();
            }
            viewport.setViewPosition(new Point(position.x, position.y + added));
            if (revealing != null) {
                revealMessage(revealing);
                return;
            }
            SwingUtilities.invokeLater(this::pageIfNearEdge);
        }, failure -> {
            loadingOlder = false;
            composer.showError(Texts.text("room.view.olderFailed", failure.getMessage()));
        });
    }

    private void loadNewer(HistoryCursor cursor) {
        loadingNewer = true;
        int current = opening;
        RoomId id = room.id();
        UiTasks.run(() -> withDetails(engine.rooms().after(id, cursor, PAGE)), page -> {
            if (current != opening) {
                return;
            }
            loadingNewer = false;
            show(page.messages(), page.deliveries(), false);
            newer = page.newer();
            dropOldestBeyondLimit();
            SwingUtilities.invokeLater(this::pageIfNearEdge);
        }, failure -> {
            loadingNewer = false;
            composer.showError(Texts.text("room.view.newerFailed", failure.getMessage()));
        });
    }

    /** Keeps at most {@link #MAX_ROWS} lines by dropping the oldest, keeping what is on screen in place. */
    private void dropOldestBeyondLimit() {
        int overflow = timeline.messageCount() - MAX_ROWS;
        if (overflow <= 0) {
            return;
        }
        JViewport viewport = scroll.getViewport();
        Point position = viewport.getViewPosition();
        int removed = timeline.dropOldest(overflow);
        older = timeline.oldest().map(RoomConversation::cursor);
        scroll.validate();
        viewport.setViewPosition(new Point(position.x, Math.max(0, position.y - removed)));
    }

    /**
     * Where a shown line sits in the room's history, to page on from it: a row's message carries the line's sender
     * as its peer, which with its clock and id is the room's order.
     */
    private static HistoryCursor cursor(ChatMessage line) {
        return new HistoryCursor(line.hlc(), line.id().toString(), line.peer().toBase58());
    }

    /** The lines as shown; its paint clock starts when a room is opened. */
    Timeline timeline() {
        return timeline;
    }

    /** How many lines are loaded (the newest page at first, more as the user scrolls up). */
    public int loadedLines() {
        return timeline.messageCount();
    }

    private boolean atBottom() {
        BoundedRangeModel bar = scroll.getVerticalScrollBar().getModel();
        return bar.getMaximum() - bar.getValue() - bar.getExtent() < UIScale.scale(40);
    }

    private void scrollToBottom() {
        Window window = SwingUtilities.getWindowAncestor(this);
        if (window != null) {
            window.validate();
        }
        scroll.validate();
        JViewport viewport = scroll.getViewport();
        viewport.setViewPosition(new Point(0, Math.max(0, timeline.getHeight() - viewport.getExtentSize().height)));
    }
}
