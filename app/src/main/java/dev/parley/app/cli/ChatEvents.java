package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.NearbyPeer;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Prints the engine's events for {@code parley chat}, in the order the engine reports them. */
final class ChatEvents implements Consumer<EngineEvent> {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final Engine engine;
    private final ChatPrinter printer;

    ChatEvents(Engine engine, ChatPrinter printer) {
        this.engine = engine;
        this.printer = printer;
    }

    @Override
    public void accept(EngineEvent event) {
        if (event instanceof EngineEvent.RoomDelivered) {
            return; // The chat prints a room's lines as they come, not how far each has reached since.
        }
        printer.print(switch (event) {
            case EngineEvent.Nearby nearby -> nearby(nearby.peer());
            case EngineEvent.NearbyGone gone -> output("nearby", "no longer nearby: " + gone.peer())
                    .with("peerId", gone.peer().toBase58()).with("gone", true);
            case EngineEvent.Request request -> message("request", request.message(), request.name(),
                    "request from " + request.name() + " (" + request.peer() + "): "
                            + ChatPrinter.shown(request.message().text())
                            + "\n  /accept " + request.peer() + " to reply, /block " + request.peer() + " to ignore");
            case EngineEvent.RequestMessagesDropped drop -> output("request-dropped",
                    "request from " + drop.name() + ": " + droppedLine(drop.peer(), drop.dropped()))
                    .with("peerId", drop.peer().toBase58()).with("name", drop.name()).with("dropped", drop.dropped());
            case EngineEvent.MessageReceived received -> message("message", received.message(), received.senderName(),
                    "[" + CLOCK.format(received.message().sentAt()) + "] " + received.senderName() + ": "
                            + MessageActionCommands.text(printer.numbers(), received.message().text(),
                            received.message().details()));
            case EngineEvent.MessageChanged changed -> MessageActionCommands.changed(printer.numbers(), changed);
            case EngineEvent.Delivered delivered -> delivered(delivered.peer(), delivered.id());
            case EngineEvent.Read read -> output("read",
                    name(read.peer()) + " read " + Plural.of(read.ids().size(), "message"))
                    .with("peerId", read.peer().toBase58())
                    .with("ids", read.ids().stream().map(MessageId::toString).toList());
            case EngineEvent.Typing typing -> output("typing", name(typing.peer()) + " is typing…")
                    .with("peerId", typing.peer().toBase58()).with("name", name(typing.peer()));
            case EngineEvent.Presence presence -> output("presence",
                    name(presence.peer()) + (presence.online() ? " is online" : " went offline"))
                    .with("peerId", presence.peer().toBase58()).with("name", name(presence.peer()))
                    .with("online", presence.online());
            case EngineEvent.ConnectionChanged changed -> connection(changed.peer(), changed.connection());
            case EngineEvent.ContactUpdated updated -> contact(updated.contact());
            case EngineEvent.ReachabilityChanged changed -> reachability(changed);
            case EngineEvent.RoomUpdated updated -> RoomCommands.updated(updated.room());
            case EngineEvent.RoomInvitation invitation -> RoomCommands.invitation(invitation.room(), invitation.from(),
                    invitation.fromName());
            case EngineEvent.RoomMessageReceived received -> RoomCommands.message(printer.numbers(), received.message(),
                    engine.rooms().get(received.message().room()).map(room -> room.name()).orElse("?"));
            case EngineEvent.RoomDelivered delivered -> throw new IllegalStateException("not printed, see above");
            case EngineEvent.SessionRenewed renewed -> output("session-renewed",
                    "secure session with " + name(renewed.peer()) + " renewed")
                    .with("peerId", renewed.peer().toBase58()).with("name", name(renewed.peer()));
            case EngineEvent.InMailbox held -> output("in-mailbox",
                    Plural.of(held.ids().size(), "message") + " waiting in " + name(held.peer()) + "'s mailbox")
                    .with("peerId", held.peer().toBase58()).with("name", name(held.peer()))
                    .with("ids", held.ids().stream().map(MessageId::toString).toList());
            case EngineEvent.WithCarrier carried -> output("with-carrier",
                    Plural.of(carried.ids().size(), "message") + " for " + name(carried.peer()) + " kept by "
                            + name(carried.carrier()))
                    .with("peerId", carried.peer().toBase58()).with("name", name(carried.peer()))
                    .with("carrierId", carried.carrier().toBase58()).with("carrier", name(carried.carrier()))
                    .with("ids", carried.ids().stream().map(MessageId::toString).toList());
            case EngineEvent.MailboxChanged changed -> MailboxCommands.status(changed.status());
            case EngineEvent.MessagesMissing missing -> output("messages-missing",
                    Plural.of(missing.missing(), "message") + " from " + name(missing.peer()) + " did not come through"
                            + " their mailbox; they come when you are both online")
                    .with("peerId", missing.peer().toBase58()).with("name", name(missing.peer()))
                    .with("missing", missing.missing());
            case EngineEvent.ContactMailbox mailbox -> output("contact-mailbox", name(mailbox.peer())
                    + (mailbox.hasMailbox() ? " has a mailbox: messages for them wait there while they are away"
                    : " has no mailbox any more"))
                    .with("peerId", mailbox.peer().toBase58()).with("name", name(mailbox.peer()))
                    .with("hasMailbox", mailbox.hasMailbox());
            case EngineEvent.FileProgress progress -> FileCommands.progress(printer.numbers(), progress);
            case EngineEvent.Error error -> output("error", "error: " + error.message()).with("message", error.message());
        });
    }

    /** "delivered to Ada: hello there": a person sees which message by its text, a script by its id. */
    private Output delivered(PeerId peer, MessageId id) {
        String human = "delivered to " + name(peer) + (printer.json() ? "" : sentText(peer, id).map(text -> ": " + text)
                .orElse(""));
        return output("delivered", human).with("peerId", peer.toBase58()).with("id", id.toString());
    }

    private Optional<String> sentText(PeerId peer, MessageId id) {
        try {
            return engine.history().around(peer, id, 1).messages().stream()
                    .filter(message -> message.outgoing() && message.id().equals(id)).findFirst()
                    .map(message -> ChatPrinter.excerpt(message.text()));
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    private Output connection(PeerId peer, Optional<ConnectionInfo> connection) {
        Output output = output("connection", name(peer) + connection.map(ChatEvents::describe).orElse(" is not connected"))
                .with("peerId", peer.toBase58()).with("name", name(peer))
                .with("path", connection.map(info -> pathName(info.path())).orElse("none"));
        connection.ifPresent(info -> {
            output.with("address", info.remoteAddress().toString());
            info.roundTrip().ifPresent(rtt -> output.with("rttMs", rtt.toNanos() / 1e6));
        });
        return output;
    }

    private static String describe(ConnectionInfo info) {
        return " is connected " + pathName(info.path()) + " at " + info.remoteAddress()
                + info.roundTrip().map(rtt -> String.format(", round trip %.1f ms", rtt.toNanos() / 1e6)).orElse("");
    }

    /** The path's name in events: {@code lan}, {@code direct}, {@code relayed}. */
    static String pathName(ConnectionInfo.Path path) {
        return path.toString().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Output reachability(EngineEvent.ReachabilityChanged changed) {
        String status = changed.reachability().toString().toLowerCase(Locale.ROOT);
        Output output = output("reachability", switch (changed.reachability()) {
            case PUBLIC -> "peers on the internet can reach us" + changed.publicAddress().map(a -> " at " + a).orElse("");
            case PRIVATE -> "peers on the internet cannot reach us directly; relays carry their connections";
            case UNKNOWN -> "whether peers on the internet can reach us is not known";
        }).with("status", status);
        changed.publicAddress().ifPresent(address -> output.with("address", address.toString()));
        return output;
    }

    private static Output contact(ContactInfo contact) {
        return output("contact", contact.name() + " (" + contact.peer() + ") is now "
                + contact.status().toString().toLowerCase())
                .with("peerId", contact.peer().toBase58()).with("name", contact.name())
                .with("state", contact.status().toString());
    }

    private static Output nearby(NearbyPeer peer) {
        Output output = output("nearby", "nearby: " + peer.name() + " (" + peer.peer() + ")");
        nearbyFields(peer).forEach(output::with);
        return output;
    }

    static Map<String, Object> nearbyFields(NearbyPeer peer) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("peerId", peer.peer().toBase58());
        fields.put("name", peer.name());
        fields.put("addresses", addresses(peer.addresses()));
        return fields;
    }

    private Output message(String event, ChatMessage message, String name, String human) {
        Output output = output(event, human).with("peerId", message.peer().toBase58()).with("name", name)
                .with("id", message.id().toString()).with("text", message.text())
                .with("sentAt", message.sentAt().toString()).with("hlc", message.hlc());
        MessageActionCommands.fields(printer.numbers(), message.details()).forEach(output::with);
        return output.numbered(printer.numbers().number(reference(message, engine.peerId())));
    }

    /** How actions name a message of the 1:1 conversation of {@code me}. */
    static MessageRef reference(ChatMessage message, PeerId me) {
        return new MessageRef(new ConversationRef.Direct(message.peer()), message.outgoing() ? me : message.peer(),
                message.id());
    }

    /** A message as {@code /history} lists it. */
    static Map<String, Object> historyEntry(MessageNumbers numbers, PeerId me, ChatMessage message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        boolean notice = message.notice().isPresent();
        if (!notice) {
            entry.put("number", numbers.number(reference(message, me)));
        }
        entry.put("id", message.id().toString());
        entry.put("notice", notice);
        entry.put("text", message.text());
        entry.put("sentAt", message.sentAt().toString());
        entry.put("hlc", message.hlc());
        if (!notice) {
            entry.put("outgoing", message.outgoing());
            entry.put("state", message.status().toString());
            entry.putAll(MessageActionCommands.fields(numbers, message.details()));
        }
        return entry;
    }

    /**
     * "#3 [14:02] Ada: hello"; a notice Parley wrote into the conversation (nobody sent it, nobody acts on it) as
     * "[14:02] * secure session renewed", without a number, as in a room.
     */
    static String historyLine(MessageNumbers numbers, PeerId me, ChatMessage message, String peerName) {
        if (message.notice().isPresent()) {
            return "[" + CLOCK.format(message.sentAt()) + "] * " + ChatPrinter.shown(message.text());
        }
        return "#" + numbers.number(reference(message, me)) + " [" + CLOCK.format(message.sentAt()) + "] "
                + (message.outgoing() ? "me" : peerName) + ": "
                + MessageActionCommands.text(numbers, message.text(), message.details())
                + (message.outgoing() ? " (" + message.status().toString().toLowerCase() + ")" : "");
    }

    /** What a request's dropped messages come to: "…and 280 more messages were dropped until you accept". */
    static String droppedLine(PeerId request, long dropped) {
        return "…and " + dropped + " more " + (dropped == 1 ? "message was" : "messages were")
                + " dropped until you accept (/accept " + request + ")";
    }

    static List<String> addresses(List<Multiaddr> addresses) {
        return addresses.stream().map(Multiaddr::toString).toList();
    }

    private String name(PeerId peer) {
        return engine.contacts().get(peer).map(ContactInfo::name).orElse(peer.toBase58());
    }
}
