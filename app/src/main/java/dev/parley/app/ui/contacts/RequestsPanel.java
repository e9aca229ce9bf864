package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.JComponent;
import javax.swing.JLabel;

/**
 * Message requests: strangers who wrote first, each with name, PeerId and what they wrote, to accept as a contact
 * or block. New requests appear as they arrive.
 */
public final class RequestsPanel extends LivePeerList<RequestsPanel.Pending> {
    /** A request and the newest message of it (for a new request, the first). */
    record Pending(ContactInfo contact, Optional<String> message) {
    }

    public RequestsPanel(Engine engine) {
        super(engine, "requestsPanel", text("requests.empty"), text("requests.empty.detail"));
    }

    /** Called on the EDT with each request accepted here, e.g. to open the conversation with them. */
    public void onAccepted(Consumer<ContactInfo> listener) {
        listenForNewContacts(listener);
    }

    @Override
    List<Pending> load() throws Exception {
        List<Pending> pending = new ArrayList<>();
        for (ContactInfo request : engine.contacts().requests()) {
            List<ChatMessage> newest = engine.history().newest(request.peer(), 1).messages();
            pending.add(new Pending(request, newest.stream().map(ChatMessage::text).findFirst()));
        }
        return pending;
    }

    @Override
    boolean affects(EngineEvent event) {
        return switch (event) {
            case EngineEvent.Request request -> true;
            case EngineEvent.MessageReceived received -> isShown(received.message().peer());
            case EngineEvent.ContactUpdated updated -> isShown(updated.contact().peer());
            case EngineEvent.RequestMessagesDropped dropped -> isShown(dropped.peer());
            default -> false;
        };
    }

    private boolean isShown(PeerId peer) {
        return shown().stream().anyMatch(pending -> pending.contact().peer().equals(peer));
    }

    @Override
    JComponent row(Pending pending) {
        ContactInfo contact = pending.contact();
        PeerId peer = contact.peer();
        String id = peer.toBase58();
        JLabel message = Widgets.label(pending.message().map(RequestsPanel::oneLine).orElse(""), "requestMessage:" + id,
                null);
        pending.message().ifPresent(text -> Widgets.described(message, text));
        List<JComponent> lines = new ArrayList<>(List.of(
                Widgets.label(contact.name(), "requestName:" + id, "h4"),
                Widgets.described(Widgets.secondary(ContactTexts.shortId(peer), "requestId:" + id), id),
                message));
        ContactTexts.droppedMessages(contact).ifPresent(dropped ->
                lines.add(Widgets.secondary(dropped, "requestDropped:" + id)));
        return new PeerRow("requestRow:" + id, peer, contact.name(), lines.toArray(JComponent[]::new),
                actionButton(peer, text("requests.accept"), text("requests.accepting"), "acceptRequest:" + id,
                        text("requests.accept.description", contact.name()), () -> engine.contacts().accept(peer),
                        this::newContact),
                actionButton(peer, text("requests.block"), text("requests.blocking"), "blockRequest:" + id,
                        text("contactInfo.blockName", contact.name()),
                        () -> engine.contacts().block(peer), blocked -> {
                        }));
    }

    /** A message as one line: its line breaks would not show in a row. */
    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
