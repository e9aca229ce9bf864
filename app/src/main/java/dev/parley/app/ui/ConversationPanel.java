package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryCursor;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.api.WhereHeld;
import dev.parley.app.ui.contacts.ContactTexts;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Window;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.BoundedRangeModel;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JViewport;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;

/**
 * An open conversation: header, timeline, and the composer (or, for a request or a blocked peer, why nothing can
 * be sent and what to do). The timeline holds at most {@link #MAX_ROWS} messages: it opens on the newest page
 * (or around a search hit), loads older pages as the user nears the top and newer ones near the bottom, keeping
 * what is on screen in place, and drops pages far from the screen. While its window is open it follows the engine's
 * events for the open conversation: new messages, their delivery and read marks, typing, the connection, and the
 * changes message actions make (its {@link TimelineActions}, shared with the room view).
 */
final class ConversationPanel extends JPanel {
    static final int PAGE = 50;
    static final int MAX_ROWS = 300;
    /** States reported for messages not (yet) shown, e.g. a Delivered that beats the id of a message being sent. */
    private static final int EARLY_STATES = 256;

    private final Engine engine;
    private final Timeline timeline;
    private final JScrollPane scroll;
    private final ConversationHeader header;
    private final Composer composer;
    private final RequestBar requestBar;
    private final TimelineActions actions;
    private final DeliveryNote deliveryNote = new DeliveryNote();
    private final CardLayout middleCards = new CardLayout();
    private final JPanel middle = new JPanel(middleCards);
    private final JLabel emptyConversation = new JLabel("", SwingConstants.CENTER);
    private final Runnable onContactsChanged;
    private final Runnable onShown;
    private final Map<MessageId, MessageStatus> earlyStates = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, MessageStatus> eldest) {
            return size() > EARLY_STATES;
        }
    };
    private ContactInfo contact;
    private Optional<HistoryCursor> older = Optional.empty();
    private Optional<HistoryCursor> newer = Optional.empty();
    private boolean loadingOlder;
    private boolean loadingNewer;
    /** Counts openings, so that pages loaded for a conversation no longer open are dropped. */
    private int opening;
    /** Counts reads of where our messages are held: only the latest read's answer is shown. */
    private int holdersRead;

    /**
     * @param settings          where the composer remembers the emoji picked last
     * @param onContactsChanged runs after a send, an accept or a block, so the conversation list follows
     * @param onShown           runs when messages of the open conversation are on screen (to mark them read)
     */
    ConversationPanel(Engine engine, TimeLabels labels, UiSettings settings, Runnable onContactsChanged,
                      Runnable onShown) {
        super(new BorderLayout());
        this.engine = engine;
        this.onContactsChanged = onContactsChanged;
        this.onShown = onShown;
        this.timeline = new Timeline(labels);
        header = new ConversationHeader(labels);
        composer = new Composer(this::send, this::typing, settings);
        requestBar = new RequestBar(this::accept, this::block);
        scroll = new JScrollPane(timeline, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.getVerticalScrollBar().getModel().addChangeListener(event -> pageIfNearEdge());
        actions = new TimelineActions(engine, timeline, composer, settings, labels, new TimelineActions.View() {
            @Override
            public Optional<ConversationRef> conversation() {
                return peer().map(ConversationRef.Direct::new);
            }

            @Override
            public PeerId author(ChatMessage message) {
                return message.outgoing() ? engine.peerId() : message.peer();
            }

            @Override
            public String nameOf(PeerId peer) {
                return contact != null && contact.peer().equals(peer) ? contact.name() : peer.toString();
            }

            @Override
            public void reveal(MessageRef message) {
                revealMessage(message.id());
            }

            @Override
            public void sentHere(MessageId id) {
                if (newer.isPresent()) {
                    // Sent while far back in the conversation: the view goes to the newest, the message among them.
                    open(contact, 0);
                    return;
                }
                PeerId peer = contact.peer();
                int current = opening;
                UiTasks.run(() -> engine.history().newest(peer, PAGE).messages().stream()
                        .filter(message -> message.id().equals(id)).findFirst(), copy -> {
                            if (current == opening) {
                                copy.ifPresent(ConversationPanel.this::received);
                            }
                        }, failure -> composer.showError(Forms.sentence(failure.getMessage())));
            }
        });
        emptyConversation.setName("emptyConversation");
        emptyConversation.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        middle.add(scroll, "timeline");
        middle.add(emptyConversation, "empty");
        JPanel bottom = new JPanel(new BorderLayout());
        JPanel bars = new JPanel(new BorderLayout());
        bars.add(deliveryNote, BorderLayout.NORTH);
        bars.add(requestBar, BorderLayout.SOUTH);
        bottom.add(bars, BorderLayout.NORTH);
        bottom.add(composer, BorderLayout.CENTER);
        add(header, BorderLayout.NORTH);
        add(middle, BorderLayout.CENTER);
        add(bottom, BorderLayout.SOUTH);
        // Files dropped anywhere on the conversation are sent to it.
        setTransferHandler(composer.fileDrop(null));
        UiTasks.followWhileDisplayable(this, engine, this::onEvent);
    }

    Optional<PeerId> peer() {
        return contact().map(ContactInfo::peer);
    }

    /** Who the open conversation is with, as last shown; empty before one is opened. */
    Optional<ContactInfo> contact() {
        return Optional.ofNullable(contact);
    }

    Timeline timeline() {
        return timeline;
    }

    JScrollPane scrollPane() {
        return scroll;
    }

    ConversationHeader header() {
        return header;
    }

    Composer composer() {
        return composer;
    }

    RequestBar requestBar() {
        return requestBar;
    }

    TimelineActions actions() {
        return actions;
    }

    /**
     * Puts the focus where the user acts in the open conversation: the composer, or, when nothing can be sent, the
     * request bar's Accept (or Unblock).
     */
    void focusComposer() {
        if (!composer.focusInput()) {
            requestBar.focusAction();
        }
    }

    /** Opens the conversation at its newest messages; the "New messages" line goes above the first unread one. */
    void open(ContactInfo shown, int unread) {
        int current = begin(shown);
        int size = Math.clamp(unread + 20L, PAGE, MAX_ROWS);
        PeerId peer = shown.peer();
        UiTasks.run(() -> engine.history().newest(peer, size), page -> {
            if (current == opening) {
                Optional<MessageId> firstUnread = page.messages().stream()
                        .filter(m -> !m.outgoing() && m.status() == MessageStatus.RECEIVED)
                        .map(ChatMessage::id).findFirst();
                show(page, firstUnread);
                newer = Optional.empty();
                if (firstUnread.isPresent()) {
                    scrollTo(firstUnread.get(), false);
                } else {
                    scrollToBottom();
                }
                // Set once in place: while the page is laid out the view is at its top, which would page.
                older = page.older();
                onShown.run();
            }
        }, this::loadFailed);
    }

    /** Opens the conversation around {@code target} (a search hit), scrolls to it and highlights it. */
    void openAt(ContactInfo shown, MessageId target) {
        int current = begin(shown);
        PeerId peer = shown.peer();
        UiTasks.run(() -> withDetails(peer, engine.history().around(peer, target, PAGE)), page -> {
            if (current == opening) {
                show(page, Optional.empty());
                newer = page.newer();
                highlightOnly(target);
                scrollTo(target, true);
                older = page.older();
                onShown.run();
            }
        }, this::loadFailed);
    }

    /** Scrolls to a shown message and highlights it, or opens the conversation around it when it is not loaded. */
    private void revealMessage(MessageId id) {
        if (timeline.row(id).isPresent()) {
            highlightOnly(id);
            scrollTo(id, true);
        } else if (contact != null) {
            openAt(contact, id);
        }
    }

    private void highlightOnly(MessageId id) {
        timeline.rows().forEach(row -> row.setHighlighted(row.message().id().equals(id)));
    }

    /** A page read without the messages' replies, reactions and edits ({@code around}, {@code after}), with them. */
    private HistoryPage withDetails(PeerId peer, HistoryPage page) throws EngineException {
        List<ChatMessage> detailed = new java.util.ArrayList<>();
        for (ChatMessage message : page.messages()) {
            MessageDetails details = engine.actions().details(new MessageRef(new ConversationRef.Direct(peer),
                    message.outgoing() ? engine.peerId() : peer, message.id()));
            detailed.add(message.withDetails(details));
        }
        return new HistoryPage(detailed, page.older(), page.newer());
    }

    private int begin(ContactInfo shown) {
        opening++;
        actions.cancel();
        timeline.startPaintClock();
        loadingOlder = false;
        loadingNewer = false;
        older = Optional.empty();
        newer = Optional.empty();
        earlyStates.clear();
        contactChanged(shown);
        timeline.replace(List.of(), Optional.empty());
        middleCards.show(middle, "timeline");
        composer.clear();
        return opening;
    }

    private void show(HistoryPage page, Optional<MessageId> firstUnread) {
        timeline.replace(page.messages(), firstUnread);
        showEmptyStateIfNeeded();
        showWhyMessagesWait();
        readHolders();
    }

    private void showEmptyStateIfNeeded() {
        if (timeline.messageCount() == 0 && contact != null) {
            emptyConversation.setText("<html><div style='text-align:center'>"
                    + Texts.text("conversation.empty", Forms.escape(contact.name())) + "</div></html>");
            middleCards.show(middle, "empty");
        } else {
            middleCards.show(middle, "timeline");
        }
    }

    private void loadFailed(Throwable failure) {
        composer.showError(Texts.text("conversation.loadFailed", failure.getMessage()));
    }

    /** The contact's name or state changed: header, composer and request bar follow. */
    void contactChanged(ContactInfo changed) {
        contact = changed;
        header.show(changed);
        requestBar.show(changed);
        switch (changed.status()) {
            case ACCEPTED -> composer.enableFor(Texts.text("composer.placeholder.contact", changed.name()));
            case REQUEST -> composer.disableBecause(Texts.text("composer.disabled.request", changed.name()));
            case BLOCKED -> composer.disableBecause(Texts.text("composer.disabled.blocked", changed.name()));
        }
        showWhyMessagesWait();
    }

    /**
     * While the contact is offline, our messages that wait for it say why in their tooltips, and the note above the
     * composer says it once (or that they are in the contact's mailbox, or with contacts who carry them); both go
     * when the contact is online or nothing waits.
     */
    void showWhyMessagesWait() {
        if (contact == null) {
            return;
        }
        String reason = DeliveryNote.waitingReason(contact).orElse(null);
        boolean sending = false;
        boolean inMailbox = false;
        Set<String> carriers = new LinkedHashSet<>();
        for (MessageRow row : timeline.rows()) {
            row.setWaitingReason(reason);
            MessageStatus status = row.message().status();
            sending |= row.message().outgoing() && status == MessageStatus.SENDING;
            if (row.message().outgoing() && status == MessageStatus.SENT) {
                inMailbox |= row.carriers().isEmpty();
                carriers.addAll(row.carriers());
            }
        }
        deliveryNote.show(contact, sending, inMailbox, List.copyOf(carriers));
    }

    /**
     * Reads off the EDT where each SENT message of ours on screen is held, and shows who carries which; a SENT message
     * nobody carries shows as in the contact's mailbox. Every read looks at all of them, so the latest read's answer
     * is the whole truth as of then, and an earlier read that finishes later is not shown.
     */
    private void readHolders() {
        if (contact == null) {
            return;
        }
        List<MessageId> held = timeline.rows().stream().map(MessageRow::message)
                .filter(message -> message.outgoing() && message.status() == MessageStatus.SENT)
                .map(ChatMessage::id).toList();
        if (held.isEmpty()) {
            return;
        }
        PeerId peer = contact.peer();
        int current = opening;
        int read = ++holdersRead;
        UiTasks.run(() -> carriersOf(peer, held), carriers -> {
            if (current == opening && read == holdersRead) {
                carriers.forEach((id, names) -> timeline.row(id).ifPresent(row -> row.setCarriers(names)));
                showWhyMessagesWait();
            }
        }, failure -> composer.showError(Texts.text("conversation.holdersFailed", failure.getMessage())));
    }

    /** For each of {@code ids}, the names of the contacts who carry it for {@code peer}; none when none does. */
    private Map<MessageId, List<String>> carriersOf(PeerId peer, List<MessageId> ids) throws EngineException {
        Map<MessageId, List<String>> carriers = new LinkedHashMap<>();
        for (MessageId id : ids) {
            carriers.put(id, switch (engine.chat().whereHeld(peer, id)) {
                case WhereHeld.WithCarriers with -> with.carriers().stream().map(this::contactName).toList();
                case WhereHeld.InMailbox inMailbox -> List.of();
                case WhereHeld.Nowhere nowhere -> List.of();
            });
        }
        return carriers;
    }

    /** A contact's name as the contact list has it, or its PeerId shortened when it is no contact (any more). */
    private String contactName(PeerId peer) {
        return engine.contacts().get(peer).map(ContactInfo::name).orElseGet(() -> ContactTexts.shortId(peer));
    }

    DeliveryNote deliveryNote() {
        return deliveryNote;
    }

    private void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.MessageReceived received when isOpen(received.message().peer()) ->
                    received(received.message());
            case EngineEvent.Request request when isOpen(request.peer()) -> received(request.message());
            case EngineEvent.InMailbox held when isOpen(held.peer()) -> {
                advance(held.ids(), MessageStatus.SENT);
                readHolders();
            }
            case EngineEvent.WithCarrier carried when isOpen(carried.peer()) -> {
                advance(carried.ids(), MessageStatus.SENT);
                readHolders();
            }
            case EngineEvent.Delivered delivered when isOpen(delivered.peer()) ->
                    advance(delivered.id(), MessageStatus.DELIVERED);
            case EngineEvent.Read read when isOpen(read.peer()) ->
                    advance(read.ids(), MessageStatus.READ);
            case EngineEvent.Typing typing when isOpen(typing.peer()) -> header.typing();
            case EngineEvent.ConnectionChanged changed when isOpen(changed.peer()) ->
                    header.connection(changed.connection());
            case EngineEvent.SessionRenewed renewed when isOpen(renewed.peer()) ->
                    renewed.notice().ifPresent(this::arrived);
            case EngineEvent.FileProgress progress when actions.concerns(progress) ->
                    actions.fileProgressed(progress);
            case EngineEvent.MessageChanged changed when actions.concerns(changed) -> {
                actions.changed(changed);
                showEmptyStateIfNeeded();
            }
            default -> {
                // Another conversation's, or not a conversation's at all.
            }
        }
    }

    private boolean isOpen(PeerId peer) {
        return contact != null && contact.peer().equals(peer);
    }

    /** A message of the open conversation arrived. */
    private void received(ChatMessage message) {
        header.stoppedTyping();
        arrived(message);
    }

    /** A line of the open conversation, a message or a notice, joins the end of the timeline. */
    private void arrived(ChatMessage message) {
        if (newer.isPresent() || timeline.row(message.id()).isPresent()) {
            return;
        }
        boolean atBottom = atBottom();
        timeline.append(List.of(message));
        dropOldestBeyondLimit();
        showEmptyStateIfNeeded();
        if (atBottom) {
            scrollToBottom();
        }
        onShown.run();
    }

    private void advance(MessageId id, MessageStatus state) {
        advance(List.of(id), state);
    }

    private void advance(List<MessageId> ids, MessageStatus state) {
        for (MessageId id : ids) {
            if (!timeline.advance(id, state)) {
                earlyStates.merge(id, state, (a, b) -> a.ordinal() >= b.ordinal() ? a : b);
            }
        }
        showWhyMessagesWait();
    }

    private void send(String text) {
        if (contact == null || contact.status() != ContactStatus.ACCEPTED) {
            return;
        }
        if (actions.sentAsEdit(text)) {
            return;
        }
        PeerId peer = contact.peer();
        int current = opening;
        Optional<MessageRef> replyTo = actions.replyTarget();
        MessageDetails details = replyTo.map(actions::quoting).orElse(MessageDetails.NONE);
        UiTasks.run(() -> replyTo.isPresent()
                ? CompletableFuture.completedFuture(engine.actions().reply(replyTo.get(), text))
                : engine.chat().sendAsync(peer, text), queued -> {
            composer.clear();
            if (replyTo.isPresent()) {
                actions.cancel();
            }
            if (current != opening) {
                return;
            }
            if (newer.isPresent()) {
                queued.whenComplete((id, error) -> SwingUtilities.invokeLater(() -> open(contact, 0)));
                return;
            }
            MessageId provisional = MessageId.random();
            timeline.append(List.of(new ChatMessage(provisional, peer, true, text, 0, Instant.now(),
                    MessageStatus.SENDING, details)));
            timeline.row(provisional).ifPresent(row -> row.setProvisional(true));
            dropOldestBeyondLimit();
            showEmptyStateIfNeeded();
            showWhyMessagesWait();
            scrollToBottom();
            followQueueing(queued, provisional, text, current);
            onContactsChanged.run();
        }, failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))));
    }

    /** The message is committed: its row takes the stored id (and any state reported meanwhile). */
    private void followQueueing(CompletableFuture<MessageId> queued, MessageId provisional, String text, int current) {
        queued.whenComplete((id, error) -> SwingUtilities.invokeLater(() -> {
            if (current != opening) {
                return;
            }
            if (error != null) {
                timeline.removeMessage(provisional);
                composer.restore(text);
                composer.showError(Texts.text("composer.notSent", EngineErrors.message(error)));
                return;
            }
            timeline.rename(provisional, id);
            MessageStatus early = earlyStates.remove(id);
            if (early != null) {
                timeline.advance(id, early);
                showWhyMessagesWait();
                readHolders();
            }
        }));
    }

    private void typing() {
        if (contact != null && contact.status() == ContactStatus.ACCEPTED) {
            PeerId peer = contact.peer();
            // A typing notice is a courtesy: when it cannot go out (say the peer just went offline), nothing is lost.
            UiTasks.run(() -> engine.chat().typing(peer), sent -> { }, failure -> { });
        }
    }

    private void accept() {
        PeerId peer = contact.peer();
        UiTasks.run(() -> engine.contacts().accept(peer), accepted -> {
            if (contact != null && contact.peer().equals(peer)) {
                contactChanged(accepted);
                // The Accept button just went away with the request bar: the focus goes where the reply is written.
                composer.focusInput();
            }
            onContactsChanged.run();
        }, failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))));
    }

    private void block() {
        PeerId peer = contact.peer();
        UiTasks.run(() -> engine.contacts().block(peer), blocked -> {
            if (contact != null && contact.peer().equals(peer)) {
                contactChanged(blocked);
            }
            onContactsChanged.run();
        }, failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))));
    }

    private void pageIfNearEdge() {
        if (contact == null || timeline.messageCount() == 0) {
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
        PeerId peer = contact.peer();
        UiTasks.run(() -> engine.history().before(peer, cursor, PAGE), page -> {
            if (current != opening) {
                return;
            }
            loadingOlder = false;
            JViewport viewport = scroll.getViewport();
            Point position = viewport.getViewPosition();
            int before = timeline.getPreferredSize().height;
            timeline.prepend(page.messages());
            older = page.older();
            scroll.validate();
            int added = timeline.getPreferredSize().height - before;
            int overflow = timeline.messageCount() - MAX_ROWS;
            if (overflow > 0) {
                timeline.dropNewest(overflow);
                newer = timeline.newest().map(engine.history()::cursor);
                scroll.validate();
            }
            viewport.setViewPosition(new Point(position.x, position.y + added));
            readHolders();
            SwingUtilities.invokeLater(this::pageIfNearEdge);
        }, failure -> {
            loadingOlder = false;
            loadFailed(failure);
        });
    }

    private void loadNewer(HistoryCursor cursor) {
        loadingNewer = true;
        int current = opening;
        PeerId peer = contact.peer();
        UiTasks.run(() -> withDetails(peer, engine.history().after(peer, cursor, PAGE)), page -> {
            if (current != opening) {
                return;
            }
            loadingNewer = false;
            timeline.append(page.messages());
            newer = page.newer();
            dropOldestBeyondLimit();
            readHolders();
            SwingUtilities.invokeLater(this::pageIfNearEdge);
        }, failure -> {
            loadingNewer = false;
            loadFailed(failure);
        });
    }

    /** Keeps at most {@link #MAX_ROWS} rows by dropping the oldest, keeping what is on screen in place. */
    private void dropOldestBeyondLimit() {
        int overflow = timeline.messageCount() - MAX_ROWS;
        if (overflow <= 0) {
            return;
        }
        JViewport viewport = scroll.getViewport();
        Point position = viewport.getViewPosition();
        int removed = timeline.dropOldest(overflow);
        older = timeline.oldest().map(engine.history()::cursor);
        scroll.validate();
        viewport.setViewPosition(new Point(position.x, Math.max(0, position.y - removed)));
    }

    private boolean atBottom() {
        BoundedRangeModel bar = scroll.getVerticalScrollBar().getModel();
        return bar.getMaximum() - bar.getValue() - bar.getExtent() < UIScale.scale(40);
    }

    private void scrollToBottom() {
        layOutNow();
        JViewport viewport = scroll.getViewport();
        int bottom = Math.max(0, timeline.getHeight() - viewport.getExtentSize().height);
        viewport.setViewPosition(new Point(0, bottom));
    }

    /** Scrolls so that {@code id} shows: near the top of the view, or {@code centred}. */
    private void scrollTo(MessageId id, boolean centred) {
        layOutNow();
        timeline.row(id).ifPresent(row -> {
            JViewport viewport = scroll.getViewport();
            int extent = viewport.getExtentSize().height;
            Rectangle bubble = row.bubbleBounds();
            int target = centred ? row.getY() + bubble.y + bubble.height / 2 - extent / 2 : row.getY();
            int max = Math.max(0, timeline.getHeight() - extent);
            viewport.setViewPosition(new Point(0, Math.clamp(target, 0, max)));
        });
    }

    private void layOutNow() {
        Window window = SwingUtilities.getWindowAncestor(this);
        if (window != null) {
            window.validate();
        }
        scroll.validate();
    }
}
