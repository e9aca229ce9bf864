package dev.parley.app.engine.actions;

import static dev.parley.store.MessageActions.MAX_REACTIONS_PER_PERSON;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.EngineException.Problem;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.MessageChange;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.Quote;
import dev.parley.app.engine.api.Reaction;
import dev.parley.app.engine.api.StorageFailedException;
import dev.parley.app.engine.api.TextVersion;
import dev.parley.app.engine.files.FileTransfers;
import dev.parley.app.engine.wire.ChatProtos;
import dev.parley.app.engine.wire.ChatProtos.Delete;
import dev.parley.app.engine.wire.ChatProtos.Edit;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;
import dev.parley.store.InvalidInputException;
import dev.parley.store.MessageActions.Extras;
import dev.parley.store.MessageActions.Outcome;
import dev.parley.store.MessageActions.PendingAction;
import dev.parley.store.MessageActions.PendingKind;
import dev.parley.store.MessageKey;
import dev.parley.store.MessageKind;
import dev.parley.store.SqliteStore;
import dev.parley.store.StoreException;
import dev.parley.store.StoreLimits;
import dev.parley.store.StoredMessage;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message actions ({@code engine.actions()}): reply, react, edit, delete for me or for everyone, forward, in 1:1
 * chats and rooms, and the same actions as they arrive from others.
 *
 * <p>Authority: only a message's author may edit it or delete it for everyone; anyone in the conversation may react,
 * once per emoji. An action names its message by author and id ({@link MessageRef}), and an envelope's sender is
 * proven by its signature, so an edit or deletion naming someone else's message is refused (and logged once), and
 * nobody can act under another's name. An action whose message is not here waits for it in the store, at most
 * {@link dev.parley.store.MessageActions#MAX_PENDING_PER_SENDER} per sender and conversation; beyond that it is
 * dropped. Actions are idempotent (see the store's {@code MessageActions}): a replayed one changes nothing.
 */
public final class MessageActions {
    private static final Logger log = LoggerFactory.getLogger(MessageActions.class);
    /** Refused actions remembered so that one sent again (until acknowledged) is logged only once. */
    private static final int REFUSALS_REMEMBERED = 1_024;

    private final PeerId me;
    private final SqliteStore store;
    private final ActionRoutes routes;
    /** The files messages offer: shown in their details, deleted with them. */
    private final FileTransfers files;
    private final LongSupplier clock;
    private final InstantSource wall;
    private final Consumer<EngineEvent> events;
    /** Where what follows a message's arrival runs: off the store's writer, which completed its storing. */
    private final Executor tasks;
    private final Set<String> refused = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REFUSALS_REMEMBERED;
                }
            }));

    /**
     * @param clock the engine's hybrid logical clock: reactions and edits are ordered by it
     */
    public MessageActions(PeerId me, SqliteStore store, ActionRoutes routes,
                          FileTransfers files, LongSupplier clock, InstantSource wall,
                          Consumer<EngineEvent> events, Executor tasks) {
        this.tasks = tasks;
        this.files = files;
        this.me = me;
        this.store = store;
        this.routes = routes;
        this.clock = clock;
        this.wall = wall;
        this.events = events;
    }

    /** Replies to {@code message} in its conversation; returns the reply's id. */
    public MessageId reply(MessageRef message, String text) throws EngineException {
        checkText(text);
        MessageId id = routes.sendText(message.conversation(), Text.newBuilder().setBody(text)
                .setReplyTo(wire(message)).build());
        describe(new MessageRef(message.conversation(), me, id), Optional.of(message), false);
        return id;
    }

    /** Sends a copy of {@code message}'s text, marked forwarded, to {@code to}; returns the copy's id. */
    public MessageId forward(MessageRef message, ConversationRef to) throws EngineException {
        String conversation = routes.conversationId(message.conversation());
        StoredMessage original = guarded(() -> store.messages().get(key(conversation, message)))
                .orElseThrow(() -> new EngineException(Problem.NO_SUCH_MESSAGE, "there is no such message to forward"));
        if (details(message, conversation).deleted()) {
            throw new EngineException(Problem.MESSAGE_DELETED, "a message deleted by its author cannot be forwarded");
        }
        MessageId id = routes.sendText(to, Text.newBuilder().setBody(original.body()).setForwarded(true).build());
        describe(new MessageRef(to, me, id), Optional.empty(), true);
        return id;
    }

    /** Adds our {@code emoji} to a message (again is harmless). */
    public void react(MessageRef message, String emoji) throws EngineException {
        reaction(message, emoji, false);
    }

    /** Takes our {@code emoji} back from a message. */
    public void unreact(MessageRef message, String emoji) throws EngineException {
        reaction(message, emoji, true);
    }

    /** Changes the text of a message of ours, for everyone; its earlier versions are kept ({@link #versions}). */
    public void edit(MessageRef message, String text) throws EngineException {
        checkText(text);
        requireOwn(message, "edit");
        String conversation = routes.conversationId(message.conversation());
        Outcome outcome = guarded(() -> store.actions().edit(key(conversation, message), me.toBase58(),
                MessageId.timeOrdered(wall.millis()).toString(), clock.getAsLong(), text, wall.instant()));
        if (outcome == Outcome.MISSING) {
            throw new EngineException(Problem.NO_SUCH_MESSAGE, "there is no such message to edit");
        }
        if (outcome == Outcome.UNCHANGED) {
            throw new EngineException(Problem.MESSAGE_DELETED, "the message is deleted and cannot be edited");
        }
        if (outcome == Outcome.REFUSED) {
            // Ours, so refused because it is a notice: it says what happened, and nobody rewrites it.
            throw new EngineException("a notice cannot be edited");
        }
        routes.sendAction(message.conversation(), EnvelopeKind.EDIT,
                Edit.newBuilder().setTarget(wire(message)).setBody(text).build().toByteArray());
        changed(message, conversation, MessageChange.EDITED);
    }

    /**
     * Deletes a message of ours for everyone: the others' devices honour the request, and here its text goes from
     * the store and the search index.
     */
    public void deleteForEveryone(MessageRef message) throws EngineException {
        requireOwn(message, "delete for everyone");
        String conversation = routes.conversationId(message.conversation());
        Outcome outcome = guarded(() -> store.actions().deleteForEveryone(key(conversation, message), me.toBase58(),
                wall.instant()));
        if (outcome == Outcome.MISSING) {
            throw new EngineException(Problem.NO_SUCH_MESSAGE, "there is no such message to delete");
        }
        if (outcome == Outcome.REFUSED) {
            throw new EngineException("a notice cannot be deleted for everyone");
        }
        // In a room, the rooms add the numbers of the envelopes it withdraws (room/DeletionStandIn).
        Delete delete = Delete.newBuilder().setTarget(wire(message)).build();
        routes.sendAction(message.conversation(), EnvelopeKind.DELETE, delete.toByteArray());
        changed(message, conversation, MessageChange.DELETED);
    }

    /** Hides a message on this device only; the others keep it. */
    public void deleteForMe(MessageRef message) throws EngineException {
        String conversation = routes.conversationId(message.conversation());
        if (guarded(() -> store.messages().get(key(conversation, message))).isEmpty()) {
            throw new EngineException(Problem.NO_SUCH_MESSAGE, "there is no such message to delete");
        }
        if (guarded(() -> store.actions().hide(key(conversation, message)))) {
            changed(message, conversation, MessageChange.HIDDEN);
        }
    }

    /** Every version of a message's text, the original first; empty if it was never edited. */
    public List<TextVersion> versions(MessageRef message) throws EngineException {
        String conversation = routes.conversationId(message.conversation());
        return guarded(() -> store.actions().versions(key(conversation, message))).stream()
                .map(version -> new TextVersion(version.body(), version.at())).toList();
    }

    /** What a message of the conversation is besides its text. */
    public MessageDetails details(MessageRef message) throws EngineException {
        return details(message, routes.conversationId(message.conversation()));
    }

    /** The details of each of {@code messages} of one conversation (for a page of history). */
    public Map<MessageKey, MessageDetails> details(ConversationRef conversation, List<StoredMessage> messages) {
        Map<MessageKey, Extras> extras = store.actions().extras(messages.stream().map(StoredMessage::key).toList());
        Map<MessageKey, MessageDetails> details = new LinkedHashMap<>();
        extras.forEach((key, extra) -> details.put(key, details(conversation, key, extra)));
        return details;
    }

    /** A message as it is once stored and the actions that waited for it applied. */
    public record Arrival(String text, MessageDetails details) {
    }

    /**
     * A message that arrived (1:1 or room) and is stored: records what it replies to and whether it is forwarded,
     * applies the actions that waited for it, and returns its text and details as they are now.
     */
    public Arrival arrived(ConversationRef conversation, StoredMessage message, Text payload) {
        Optional<MessageRef> replyTo = payload.hasReplyTo() ? ref(conversation, payload.getReplyTo()) : Optional.empty();
        PeerId sender = PeerId.parse(message.sender());
        MessageRef ref = new MessageRef(conversation, sender, MessageId.parse(message.id()));
        try {
            describe(ref, replyTo, payload.getForwarded());
        } catch (StoreException | EngineException e) {
            log.warn("the reply or forward marks of {} could not be kept: {}", message.key(), e.getMessage());
        }
        // Applied whatever became of the marks: a deletion that waited must take the text before it is shown.
        boolean changed = store.actions().applyPending(message.key()).contains(Outcome.APPLIED);
        String text = changed ? store.messages().get(message.key()).map(StoredMessage::body).orElse(message.body())
                : message.body();
        return new Arrival(text, details(ref, message.conversationId()));
    }

    /**
     * {@link #arrived}, on the engine's tasks, then {@code report}: for a message whose storing completed on the
     * store's writer. The message is reported only as it is once the actions that waited for it are applied, so one
     * whose deletion came first is never reported with its text.
     */
    public void arrivedInBackground(ConversationRef conversation, StoredMessage message, Text payload,
                                    Consumer<Arrival> report) {
        tasks.execute(() -> report.accept(arrived(conversation, message, payload)));
    }

    /** Reports a change that {@link #received} returned. */
    public void report(EngineEvent change) {
        events.accept(change);
    }

    /**
     * A REACTION, EDIT or DELETE envelope from {@code actor}, who may write in the conversation (the caller checked
     * it: an accepted contact, a member). Returns the change to report, if any.
     */
    public Optional<EngineEvent> received(ConversationRef conversation, String conversationId, PeerId actor,
                                          MessageId actionId, long hlc, EnvelopeKind kind, byte[] plaintext) {
        try {
            Received action = decode(kind, plaintext);
            Optional<MessageRef> target = ref(conversation, action.target());
            if (target.isEmpty()) {
                log.info("dropped {} {} from {}: it names no message", kind, actionId, actor);
                return Optional.empty();
            }
            MessageKey key = key(conversationId, target.get());
            boolean authorOnly = kind == EnvelopeKind.EDIT || kind == EnvelopeKind.DELETE;
            if (authorOnly && !target.get().sender().equals(actor)) {
                refuse(kind, actionId, actor, target.get());
                return Optional.empty();
            }
            PendingKind what = switch (kind) {
                case REACTION -> action.removed() ? PendingKind.UNREACT : PendingKind.REACT;
                case EDIT -> PendingKind.EDIT;
                default -> PendingKind.DELETE;
            };
            // Applied now if the message is here, else kept for it (within the store's bound) in the same write.
            Outcome outcome = store.actions().take(new PendingAction(key, actor.toBase58(), actionId.toString(), what,
                    hlc, action.detail(), wall.instant()));
            if (outcome == Outcome.REFUSED) {
                if (authorOnly || isNotice(key)) {
                    log.info("refused {} {} from {}: message {} is a notice, which nobody changes", kind, actionId,
                            actor, target.get().id());
                } else {
                    refuse(kind, actionId, actor, target.get());
                }
                return Optional.empty();
            }
            if (outcome != Outcome.APPLIED) {
                return Optional.empty();
            }
            MessageChange change = switch (kind) {
                case REACTION -> MessageChange.REACTIONS;
                case EDIT -> MessageChange.EDITED;
                default -> MessageChange.DELETED;
            };
            return Optional.of(event(target.get(), conversationId, change));
        } catch (InvalidProtocolBufferException | InvalidInputException | IllegalArgumentException e) {
            log.info("dropped {} {} from {}: {}", kind, actionId, actor, e.getMessage());
            return Optional.empty();
        } catch (StoreException e) {
            log.warn("{} {} from {} could not be applied: {}", kind, actionId, actor, e.getMessage());
            return Optional.empty();
        }
    }

    private record Received(ChatProtos.MessageRef target, String detail, boolean removed) {
    }

    private static Received decode(EnvelopeKind kind, byte[] plaintext) throws InvalidProtocolBufferException {
        return switch (kind) {
            case REACTION -> {
                ChatProtos.Reaction reaction = ChatProtos.Reaction.parseFrom(plaintext);
                yield new Received(reaction.getTarget(), reaction.getEmoji(), reaction.getRemoved());
            }
            case EDIT -> {
                Edit edit = Edit.parseFrom(plaintext);
                yield new Received(edit.getTarget(), edit.getBody(), false);
            }
            case DELETE -> new Received(Delete.parseFrom(plaintext).getTarget(), "", false);
            default -> throw new IllegalArgumentException("not an action: " + kind);
        };
    }

    private void refuse(EnvelopeKind kind, MessageId actionId, PeerId actor, MessageRef target) {
        if (kind == EnvelopeKind.REACTION) {
            if (refused.add(actor.toBase58() + "/" + actionId)) {
                log.info("refused reaction {} from {}: it has {} different reactions on message {} already",
                        actionId, actor, MAX_REACTIONS_PER_PERSON, target.id());
            }
            return;
        }
        if (refused.add(actor.toBase58() + "/" + actionId)) {
            log.info("refused {} {} from {}: message {} is {}'s, and only its author may {} it", kind, actionId, actor,
                    target.id(), target.sender(), kind == EnvelopeKind.EDIT ? "edit" : "delete");
        }
    }

    private void reaction(MessageRef message, String emoji, boolean removed) throws EngineException {
        String conversation = routes.conversationId(message.conversation());
        String trimmed = emoji.strip();
        Outcome outcome = guarded(() -> store.actions().react(key(conversation, message), me.toBase58(), trimmed,
                !removed, clock.getAsLong()));
        if (outcome == Outcome.MISSING) {
            throw new EngineException(Problem.NO_SUCH_MESSAGE, "there is no such message to react to");
        }
        if (outcome == Outcome.REFUSED && guarded(() -> isNotice(key(conversation, message)))) {
            throw new EngineException("a notice takes no reactions");
        }
        if (outcome == Outcome.REFUSED) {
            throw new EngineException(Problem.TOO_MANY_REACTIONS, "you have " + MAX_REACTIONS_PER_PERSON
                    + " different reactions on this message already; take one back first", MAX_REACTIONS_PER_PERSON);
        }
        routes.sendAction(message.conversation(), EnvelopeKind.REACTION, ChatProtos.Reaction.newBuilder()
                .setTarget(wire(message)).setEmoji(trimmed).setRemoved(removed).build().toByteArray());
        if (outcome == Outcome.APPLIED) {
            changed(message, conversation, MessageChange.REACTIONS);
        }
    }

    private boolean isNotice(MessageKey key) {
        return store.messages().get(key).map(held -> held.kind() == MessageKind.NOTICE).orElse(false);
    }

    private void describe(MessageRef message, Optional<MessageRef> replyTo, boolean forwarded)
            throws EngineException {
        if (replyTo.isEmpty() && !forwarded) {
            return;
        }
        String conversation = routes.conversationId(message.conversation());
        guarded(() -> store.actions().describeAsync(key(conversation, message),
                replyTo.map(reply -> key(conversation, reply)), forwarded).join());
    }

    private void changed(MessageRef message, String conversation, MessageChange change) {
        events.accept(event(message, conversation, change));
    }

    private EngineEvent event(MessageRef message, String conversation, MessageChange change) {
        MessageKey key = key(conversation, message);
        if (change == MessageChange.DELETED || change == MessageChange.HIDDEN) {
            // Deleting a message deletes its file here, unless another message offers the same bytes.
            files.messageGone(key);
        }
        String text = store.messages().get(key).map(StoredMessage::body).orElse("");
        return new EngineEvent.MessageChanged(message, change, text, details(message, conversation));
    }

    private MessageDetails details(MessageRef message, String conversation) {
        MessageKey key = key(conversation, message);
        return details(message.conversation(), key, store.actions().extras(List.of(key)).get(key));
    }

    private MessageDetails details(ConversationRef conversation, MessageKey key, Extras extras) {
        Optional<FileAttachment> file = extras.deleted() ? Optional.empty() : files.attachmentOf(key);
        if (extras.equals(Extras.NONE) && file.isEmpty()) {
            return MessageDetails.NONE;
        }
        Optional<Quote> quote = extras.replyTo().map(reply -> new Quote(
                new MessageRef(conversation, PeerId.parse(reply.sender()), MessageId.parse(reply.id())),
                store.messages().get(reply).map(StoredMessage::body).filter(body -> !body.isEmpty())));
        return new MessageDetails(quote, extras.forwarded(), extras.edited(), extras.deleted(), extras.hidden(),
                extras.reactions().stream().map(r -> new Reaction(PeerId.parse(r.reactor()), r.emoji())).toList(), file);
    }

    private void requireOwn(MessageRef message, String action) throws EngineException {
        if (!message.sender().equals(me)) {
            throw new EngineException(Problem.NOT_YOUR_MESSAGE, "only its author may " + action
                    + " a message; this one is " + message.sender() + "'s");
        }
    }

    private static void checkText(String text) throws EngineException {
        if (text.isBlank()) {
            throw new EngineException(Problem.MESSAGE_EMPTY, "the text is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > StoreLimits.MAX_BODY_BYTES) {
            throw new EngineException(Problem.MESSAGE_TOO_LONG, "the text is " + bytes + " bytes long; the limit is "
                    + StoreLimits.MAX_BODY_BYTES, bytes, StoreLimits.MAX_BODY_BYTES);
        }
    }

    private static ChatProtos.MessageRef wire(MessageRef message) {
        return ChatProtos.MessageRef.newBuilder().setSender(message.sender().toBase58())
                .setMessageId(ByteString.copyFrom(message.id().bytes())).build();
    }

    private static Optional<MessageRef> ref(ConversationRef conversation, ChatProtos.MessageRef wire) {
        try {
            return Optional.of(new MessageRef(conversation, PeerId.parse(wire.getSender()),
                    MessageId.fromBytes(wire.getMessageId().toByteArray())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static MessageKey key(String conversation, MessageRef message) {
        return new MessageKey(conversation, message.sender().toBase58(), message.id().toString());
    }

    /** Store work that fails as the engine's exceptions. */
    @FunctionalInterface
    private interface StoreWork<T> {
        T run() throws EngineException;
    }

    private static <T> T guarded(StoreWork<T> work) throws EngineException {
        try {
            return work.run();
        } catch (InvalidInputException e) {
            throw new EngineException(e.getMessage(), e);
        } catch (StoreException e) {
            throw new StorageFailedException("a message action failed: " + e.getMessage(), e);
        }
    }
}
