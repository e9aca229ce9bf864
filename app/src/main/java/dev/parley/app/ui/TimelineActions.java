package dev.parley.app.ui;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageChange;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.Quote;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.ui.actions.ActionMenu;
import dev.parley.app.ui.actions.DeleteConfirmation;
import dev.parley.app.ui.actions.ForwardDialog;
import dev.parley.app.ui.actions.ReactionPicker;
import dev.parley.app.ui.actions.VersionsDialog;
import dev.parley.app.ui.emoji.EmojiPicker;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Component;
import java.awt.Rectangle;
import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.swing.JPopupMenu;

/**
 * The message actions of a conversation view, the same for a 1:1 conversation and a room: the action menu of a
 * {@link MessageRow}, reply and edit through the {@link Composer}, reactions, deletion, forwarding, the versions of
 * an edited message, going to a reply's original, and the live changes the engine reports
 * ({@link EngineEvent.MessageChanged}). The view says what differs ({@link View}): how a row names its message, who
 * is who, and how to bring a message that is not loaded into sight.
 */
final class TimelineActions implements MessageRow.Actions {
    /** What differs between a 1:1 conversation and a room. */
    interface View {
        /** The open conversation; empty before one is opened. */
        Optional<ConversationRef> conversation();

        /** Who wrote {@code message}, as actions name it. */
        PeerId author(ChatMessage message);

        /** A person's name in this conversation. */
        String nameOf(PeerId peer);

        /** Scrolls to {@code message} and highlights it, loading it first if it is not shown. */
        void reveal(MessageRef message);

        /**
         * Our message {@code id} was just stored in this conversation other than through the composer (a copy
         * forwarded here, a file sent): shown as a message sent here is, since no event announces a message of ours.
         */
        void sentHere(MessageId id);
    }

    private final Engine engine;
    private final Timeline timeline;
    private final Composer composer;
    private final UiSettings settings;
    private final TimeLabels labels;
    private final View view;
    private Optional<MessageRef> replyTo = Optional.empty();
    private Optional<MessageRef> editing = Optional.empty();
    /** The menu or picker open last, for tests and screenshots. */
    private JPopupMenu openPopup;
    private VersionsDialog versionsShown;
    private final FileActions files;

    TimelineActions(Engine engine, Timeline timeline, Composer composer, UiSettings settings, TimeLabels labels,
                    View view) {
        this.engine = engine;
        this.timeline = timeline;
        this.composer = composer;
        this.settings = settings;
        this.labels = labels;
        this.view = view;
        this.files = new FileActions(engine, composer, new FileActions.Target() {
            @Override
            public Optional<ConversationRef> conversation() {
                return view.conversation();
            }

            @Override
            public void sentHere(ConversationRef conversation, MessageId id) {
                if (view.conversation().equals(Optional.of(conversation))) {
                    view.sentHere(id);
                }
            }
        });
        timeline.setActions(this);
        composer.onFiles(files::send, files::sendPasted);
        composer.onUpWhenEmpty(this::editLast);
        composer.onShiftTab(timeline::focusNewest);
    }

    MessageRef ref(ChatMessage message) {
        return new MessageRef(view.conversation().orElseThrow(), view.author(message), message.id());
    }

    @Override
    public void backToComposer() {
        composer.focusInput();
    }

    @Override
    public PeerId me() {
        return engine.peerId();
    }

    @Override
    public String nameOf(PeerId peer) {
        return peer.equals(engine.peerId()) ? Texts.text("actions.you") : view.nameOf(peer);
    }

    @Override
    public void openMenu(MessageRow row, Component at, int x, int y) {
        if (row.provisional()) {
            return;
        }
        MessageRef message = ref(row.message());
        openPopup = ActionMenu.create(new ActionMenu.Target(row.message().outgoing(), row.deleted()),
                new ActionMenu.Handler() {
                    @Override
                    public void reply() {
                        startReply(row);
                    }

                    @Override
                    public void react() {
                        openReactionPicker(row);
                    }

                    @Override
                    public void copy() {
                        Toolkit.getDefaultToolkit().getSystemClipboard()
                                .setContents(new StringSelection(row.message().text()), null);
                    }

                    @Override
                    public void edit() {
                        startEdit(row);
                    }

                    @Override
                    public void deleteForMe() {
                        act(() -> engine.actions().deleteForMe(message));
                    }

                    @Override
                    public void deleteForEveryone() {
                        if (DeleteConfirmation.confirm(row)) {
                            act(() -> engine.actions().deleteForEveryone(message));
                        }
                    }

                    @Override
                    public void forward() {
                        TimelineActions.this.forward(row, message);
                    }
                });
        ActionMenu.show(openPopup, at, x, y);
    }

    /** The menu or reaction picker shown last, while it shows. */
    Optional<JPopupMenu> popup() {
        return Optional.ofNullable(openPopup).filter(JPopupMenu::isShowing);
    }

    Optional<VersionsDialog> versionsDialog() {
        return Optional.ofNullable(versionsShown).filter(VersionsDialog::isShowing);
    }

    private void startReply(MessageRow row) {
        editing = Optional.empty();
        replyTo = Optional.of(ref(row.message()));
        String author = nameOf(view.author(row.message()));
        composer.showContext(Texts.text("composer.replyingTo", author, Forms.shorten(
                row.message().text().replace('\n', ' '), 80)), Texts.text("composer.cancelReply"), this::cancel);
        composer.focusInput();
    }

    private void startEdit(MessageRow row) {
        replyTo = Optional.empty();
        editing = Optional.of(ref(row.message()));
        composer.showContext(Texts.text("composer.editing"), Texts.text("composer.cancelEdit"), () -> {
            cancel();
            composer.clear();
        });
        composer.setText(row.message().text());
        composer.focusInput();
    }

    /** Leaves reply or edit mode. */
    void cancel() {
        replyTo = Optional.empty();
        editing = Optional.empty();
        composer.clearContext();
    }

    /** Up in the empty composer: edits the user's last message here that can be edited. */
    private boolean editLast() {
        List<MessageRow> rows = timeline.rows();
        for (int i = rows.size() - 1; i >= 0; i--) {
            MessageRow row = rows.get(i);
            ChatMessage message = row.message();
            if (message.outgoing() && !row.deleted() && !row.provisional()
                    && (row.roomLine() == null || !row.roomLine().notice())) {
                startEdit(row);
                return true;
            }
        }
        return false;
    }

    /**
     * The composer's text goes out: as the new text of the message being edited ({@code true}: the view sends
     * nothing), or else the view sends it, as a reply to {@link #replyTarget} if there is one.
     */
    boolean sentAsEdit(String text) {
        if (editing.isEmpty()) {
            return false;
        }
        MessageRef message = editing.get();
        cancel();
        composer.clear();
        act(() -> engine.actions().edit(message, text));
        return true;
    }

    Optional<MessageRef> replyTarget() {
        return replyTo;
    }

    /** The details a reply to {@code target} shows before the engine reports it, its quote from the row shown. */
    MessageDetails quoting(MessageRef target) {
        Optional<String> text = timeline.row(target.id()).map(row -> row.message().text());
        return new MessageDetails(Optional.of(new Quote(target, text)), false, false, false, false, List.of());
    }

    private void openReactionPicker(MessageRow row) {
        openPopup = ReactionPicker.create(emoji -> react(row, emoji), () -> {
            EmojiPicker more = new EmojiPicker(settings::recentEmoji, emoji -> {
                settings.pickedEmoji(emoji);
                react(row, emoji);
            }, () -> row.textPane().requestFocusInWindow());
            more.toggle(row.textPane());
        });
        Rectangle bubble = row.bubbleBounds();
        ActionMenu.show(openPopup, row, bubble.x, bubble.y + bubble.height);
    }

    private void react(MessageRow row, String emoji) {
        MessageRef message = ref(row.message());
        act(() -> engine.actions().react(message, emoji));
    }

    @Override
    public void toggleReaction(MessageRow row, String emoji, boolean mine) {
        MessageRef message = ref(row.message());
        act(() -> {
            if (mine) {
                engine.actions().unreact(message, emoji);
            } else {
                engine.actions().react(message, emoji);
            }
        });
    }

    @Override
    public void openQuote(MessageRow row) {
        row.details().replyTo().map(Quote::message).ifPresent(view::reveal);
    }

    @Override
    public void showVersions(MessageRow row) {
        MessageRef message = ref(row.message());
        UiTasks.run(() -> engine.actions().versions(message),
                versions -> versionsShown = VersionsDialog.show(row, versions, labels::full),
                failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))));
    }

    private void forward(MessageRow row, MessageRef message) {
        UiTasks.run(this::forwardChoices, choices -> ForwardDialog.choose(row, choices).ifPresent(to ->
                UiTasks.run(() -> engine.actions().forward(message, to), copy -> {
                    if (view.conversation().equals(Optional.of(to))) {
                        view.sentHere(copy);
                    }
                }, failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))))),
                failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))));
    }

    /** Every accepted contact and joined room, contacts first, each by name. */
    private List<ForwardDialog.Choice> forwardChoices() {
        List<ForwardDialog.Choice> choices = new ArrayList<>();
        engine.contacts().accepted().forEach(contact -> choices.add(new ForwardDialog.Choice(
                Texts.text("actions.forward.contact", contact.name()), new ConversationRef.Direct(contact.peer()))));
        engine.rooms().list().stream().filter(room -> room.status() == RoomStatus.JOINED).forEach(room ->
                choices.add(new ForwardDialog.Choice(Texts.text("actions.forward.room", room.name()),
                        new ConversationRef.Room(room.id()))));
        return choices;
    }

    /** An action that may fail; its failure shows above the composer. */
    @FunctionalInterface
    interface EngineAction {
        void run() throws Exception;
    }

    private void act(EngineAction action) {
        Callable<Boolean> work = () -> {
            action.run();
            return true;
        };
        UiTasks.run(work, done -> { },
                failure -> composer.showError(Forms.sentence(EngineErrors.message(failure))));
    }

    /** A message of the open conversation changed: its row follows, or goes when the user deleted it here. */
    void changed(EngineEvent.MessageChanged event) {
        MessageRef changed = event.message();
        Optional<MessageRow> shown = timeline.row(changed.id())
                .filter(row -> view.author(row.message()).equals(changed.sender()));
        if (event.change() == MessageChange.HIDDEN) {
            shown.ifPresent(row -> timeline.removeMessage(row.message().id()));
            return;
        }
        shown.ifPresent(row -> row.changed(event.text(), event.details()));
        if (event.change() == MessageChange.EDITED || event.change() == MessageChange.DELETED) {
            for (MessageRow row : timeline.rows()) {
                if (row.details().replyTo().filter(quote -> quote.message().equals(changed)).isPresent()) {
                    row.quotedChanged(event.details().deleted() ? "" : event.text());
                }
            }
        }
    }

    @Override
    public void fileCommand(MessageRow row, FileCard.Command command) {
        if (!row.provisional()) {
            files.run(row, ref(row.message()), command);
        }
    }

    /** Sending files, and what a file's buttons do. */
    FileActions files() {
        return files;
    }

    /** A file's transfer in the open conversation moved on: its row, if shown, follows. */
    void fileProgressed(EngineEvent.FileProgress progress) {
        timeline.row(progress.message().id()).filter(row -> view.author(row.message())
                .equals(progress.message().sender())).ifPresent(row -> row.fileProgressed(progress.transfer()));
    }

    /** Whether {@code event} is about the conversation open in this view. */
    boolean concerns(EngineEvent.FileProgress event) {
        return view.conversation().filter(event.message().conversation()::equals).isPresent();
    }

    /** Whether {@code event} is about the conversation open in this view. */
    boolean concerns(EngineEvent.MessageChanged event) {
        return view.conversation().filter(event.message().conversation()::equals).isPresent();
    }
}
