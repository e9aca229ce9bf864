package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Contacts;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.History;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.app.engine.api.NearbyPeer;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The commands {@code parley chat} reads, one a line. A line that is not a valid command prints an
 * {@code error} event saying what is wrong and how to do it right; nothing ends the session but {@code /quit}
 * (or the end of input).
 *
 * <p>PEER is a PeerId or a prefix of one that only one known peer has; NAME is a contact's display name, in
 * double quotes if it has spaces. Both are looked up among contacts, requests, blocked and nearby peers.
 */
final class ChatCommands {
    static final int DEFAULT_HISTORY = 20;
    static final List<String> HELP = Stream.concat(Stream.of(
            "/invite                  print an invite code for others to /add",
            "/add CODE                add the owner of an invite code as a contact",
            "/nearby                  list Parley peers on the LAN",
            "/accept PEER             accept a request (or add a nearby peer)",
            "/block PEER              block a peer: its messages are dropped unseen",
            "/msg PEER|NAME TEXT      send a message",
            "/history PEER|NAME [N]   show the last N messages (default " + DEFAULT_HISTORY + ")",
            "/help                    show this list",
            "/quit                    leave (so does the end of input)"), RoomCommands.HELP.stream()).toList();

    private final Engine engine;
    private final ChatPrinter printer;
    private final RoomCommands rooms;

    ChatCommands(Engine engine, ChatPrinter printer) {
        this.engine = engine;
        this.printer = printer;
        this.rooms = new RoomCommands(engine, printer, this::peer);
    }

    /** Runs one line; false once the session should end. */
    boolean run(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return true;
        }
        int space = trimmed.indexOf(' ');
        String command = space < 0 ? trimmed : trimmed.substring(0, space);
        String arguments = space < 0 ? "" : trimmed.substring(space + 1).strip();
        try {
            switch (command) {
                case "/quit" -> {
                    return false;
                }
                case "/help" -> printer.print(output("help", String.join("\n", HELP)).with("commands", HELP));
                case "/invite" -> invite();
                case "/add" -> add(arguments);
                case "/nearby" -> nearby();
                case "/accept" -> accept(arguments);
                case "/block" -> engine.contacts().block(peer(singleArgument(arguments, "/block PEER")));
                case "/msg" -> message(arguments);
                case "/history" -> history(arguments);
                case "/rooms" -> rooms.list();
                case "/room" -> rooms.run(arguments);
                default -> printer.error(command.startsWith("/")
                        ? "unknown command " + command + "; /help lists the commands"
                        : "a line starts with a command; to send a message: /msg PEER|NAME TEXT (/help lists all)");
            }
        } catch (EngineException | IllegalArgumentException e) {
            printer.error(e.getMessage());
        }
        return true;
    }

    private void invite() {
        String code = engine.invite();
        printer.print(output("invite", "invite code: " + code).with("code", code)
                .with("addresses", ChatEvents.addresses(engine.listenAddresses())));
    }

    private void add(String arguments) throws EngineException {
        engine.contacts().add(singleArgument(arguments, "/add CODE"));
    }

    private void nearby() {
        List<NearbyPeer> peers = engine.nearby().peers();
        List<String> lines = new ArrayList<>();
        peers.forEach(peer -> lines.add(peer.name() + " (" + peer.peer() + ")"));
        printer.print(output("nearby-list", peers.isEmpty() ? "no Parley peers nearby" : String.join("\n", lines))
                .with("peers", peers.stream().map(ChatEvents::nearbyFields).toList()));
    }

    /** A request becomes a contact; so does a nearby peer, which needs no request first. */
    private void accept(String arguments) throws EngineException {
        PeerId peer = peer(singleArgument(arguments, "/accept PEER"));
        boolean nearbyOnly = engine.contacts().get(peer).isEmpty()
                && engine.nearby().peers().stream().anyMatch(n -> n.peer().equals(peer));
        // The engine reports the change as a contact event, whichever client made it.
        if (nearbyOnly) {
            engine.nearby().add(peer);
        } else {
            engine.contacts().accept(peer);
        }
    }

    private void message(String arguments) throws EngineException {
        Target target = target(arguments, "/msg PEER|NAME TEXT");
        if (target.rest().isEmpty()) {
            throw new IllegalArgumentException("no text to send; usage: /msg PEER|NAME TEXT");
        }
        MessageId id = engine.chat().send(target.peer(), target.rest());
        printer.print(output("sent", "to " + name(target.peer()) + ": " + target.rest())
                .with("peerId", target.peer().toBase58()).with("id", id.toString()));
    }

    private void history(String arguments) throws EngineException {
        Target target = target(arguments, "/history PEER|NAME [N]");
        int count = DEFAULT_HISTORY;
        if (!target.rest().isEmpty()) {
            try {
                count = Integer.parseInt(target.rest());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + target.rest() + "' is not a number of messages");
            }
            if (count < 1 || count > History.MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("the number of messages must be 1 to " + History.MAX_PAGE_SIZE
                        + ", not " + count);
            }
        }
        HistoryPage page = engine.history().newest(target.peer(), count);
        String peerName = name(target.peer());
        long dropped = engine.contacts().get(target.peer()).map(ContactInfo::droppedMessages).orElse(0L);
        List<String> lines = new ArrayList<>(page.messages().stream()
                .map(m -> ChatEvents.historyLine(m, peerName)).toList());
        if (dropped > 0) {
            lines.add(ChatEvents.droppedLine(target.peer(), dropped));
        }
        Output history = output("history", lines.isEmpty() ? "no messages with " + peerName : String.join("\n", lines))
                .with("peerId", target.peer().toBase58()).with("name", peerName)
                .with("messages", page.messages().stream().map(ChatEvents::historyEntry).toList());
        printer.print(dropped > 0 ? history.with("dropped", dropped) : history);
    }

    /** A peer named first in the arguments, and the text after it. */
    private record Target(PeerId peer, String rest) {
    }

    private Target target(String arguments, String usage) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("missing PEER or NAME; usage: " + usage);
        }
        if (arguments.startsWith("\"")) {
            int close = arguments.indexOf('"', 1);
            if (close < 0) {
                throw new IllegalArgumentException("the name " + arguments + " has no closing quote");
            }
            return new Target(peer(arguments.substring(1, close)), arguments.substring(close + 1).strip());
        }
        int space = arguments.indexOf(' ');
        return space < 0 ? new Target(peer(arguments), "")
                : new Target(peer(arguments.substring(0, space)), arguments.substring(space + 1).strip());
    }

    private static String singleArgument(String arguments, String usage) {
        if (arguments.isEmpty() || arguments.contains(" ")) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return arguments;
    }

    /** The known peer {@code reference} names: a PeerId, a unique PeerId prefix, or a unique display name. */
    private PeerId peer(String reference) {
        Map<PeerId, String> known = new LinkedHashMap<>();
        Contacts contacts = engine.contacts();
        Stream.of(contacts.accepted(), contacts.requests(), contacts.blocked()).flatMap(List::stream)
                .forEach(contact -> known.put(contact.peer(), contact.name()));
        engine.nearby().peers().forEach(peer -> known.putIfAbsent(peer.peer(), peer.name()));
        for (PeerId peer : known.keySet()) {
            if (peer.toBase58().equals(reference)) {
                return peer;
            }
        }
        List<PeerId> byPrefix = known.keySet().stream().filter(peer -> peer.toBase58().startsWith(reference)).toList();
        List<PeerId> byName = known.entrySet().stream().filter(entry -> entry.getValue().equalsIgnoreCase(reference))
                .map(Map.Entry::getKey).toList();
        List<PeerId> matches = byName.isEmpty() ? byPrefix : byName;
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            try {
                return PeerId.parse(reference);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("no contact, request or nearby peer is called or starts with '"
                        + reference + "'");
            }
        }
        throw new IllegalArgumentException("'" + reference + "' is ambiguous: it matches "
                + String.join(", ", matches.stream().map(peer -> known.get(peer) + " (" + peer + ")").toList())
                + "; give more of the PeerId");
    }

    private String name(PeerId peer) {
        return engine.contacts().get(peer).map(ContactInfo::name).orElse(peer.toBase58());
    }

    static Output ready(Engine engine) {
        String name = engine.card().displayName();
        List<String> addresses = ChatEvents.addresses(engine.listenAddresses());
        return output("ready", "Parley chat as " + name + " (" + engine.peerId() + ")\nlistening on "
                + String.join(", ", addresses) + "\n/help lists the commands")
                .with("peerId", engine.peerId().toBase58()).with("name", name).with("addresses", addresses);
    }
}
