package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Contacts;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.History;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.NearbyPeer;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The commands {@code parley chat} reads, one a line. A line that is not a valid command prints an
 * {@code error} event saying what is wrong and how to do it right; nothing ends the session but {@code /quit}
 * (or the end of input).
 *
 * <p>PEER is a contact's display name or PeerId, or the start of either, in any case ({@link Lookup}), among
 * contacts, requests, blocked and nearby peers; a name with spaces needs no quotes where the command takes text after
 * it, since the longest known name the line starts with is taken (double quotes name one exactly).
 */
final class ChatCommands {
    static final int DEFAULT_HISTORY = 20;
    static final List<String> HELP = Stream.concat(Stream.of(
            "/invite                  print an invite code for others to /add",
            "/add CODE                add the owner of an invite code as a contact",
            "/nearby                  list the Parley peers found on the LAN",
            "/accept PEER             accept a request or a nearby peer; unblock a peer",
            "/block PEER              block a peer: what it sends is dropped unseen",
            "/msg PEER TEXT           send a message",
            "/history PEER [N]        show the last N messages (default " + DEFAULT_HISTORY + ", at most "
                    + History.MAX_PAGE_SIZE + ")",
            "/help                    show this list",
            "/quit                    leave (so does the end of input)"), Stream.concat(
            MessageActionCommands.HELP.stream(), Stream.concat(FileCommands.HELP.stream(),
            Stream.concat(RoomCommands.HELP.stream(), MailboxCommands.HELP.stream())))).toList();
    /** How the commands name peers and rooms: printed after {@link #HELP} for a person, not a JSON field. */
    static final List<String> NAMING = List.of(
            "PEER    a name or PeerId, or its start, in any case (Ada for Ada L.);",
            "        a name with spaces needs no quotes",
            "ROOM    a room's name or id, or its start; spaces need no quotes either",
            "MEMBER  a member's name in the room, or its start, or a PEER");

    private final Engine engine;
    private final ChatPrinter printer;
    private final RoomCommands rooms;
    private final MessageActionCommands actions;
    private final MailboxCommands mailbox;
    private final FileCommands files;

    ChatCommands(Engine engine, ChatPrinter printer) {
        this.engine = engine;
        this.printer = printer;
        this.rooms = new RoomCommands(engine, printer, this::peer);
        this.actions = new MessageActionCommands(engine, printer, this::peer);
        this.mailbox = new MailboxCommands(engine, printer);
        this.files = new FileCommands(engine, printer, this::peer, rooms::room);
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
                case "/help" -> printer.print(output("help", String.join("\n", Stream.concat(HELP.stream(),
                        NAMING.stream()).toList())).with("commands", HELP));
                case "/invite" -> invite();
                case "/add" -> add(arguments);
                case "/nearby" -> nearby();
                case "/accept" -> accept(arguments);
                case "/block" -> engine.contacts().block(peer(singleArgument(arguments, "/block PEER")));
                case "/msg" -> message(arguments);
                case "/history" -> history(arguments);
                case "/rooms" -> rooms.list();
                case "/room" -> rooms.run(arguments);
                case "/mailbox" -> mailbox.run(arguments);
                default -> {
                    if (!actions.run(command, arguments) && !files.run(command, arguments)) {
                        printer.error(command.startsWith("/")
                                ? "unknown command " + command + "; /help lists the commands"
                                : "a line starts with a command; to send a message: /msg PEER TEXT (/help lists all)");
                    }
                }
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
            // The request's messages were printed as they came: the user has seen them, so they are read.
            engine.chat().markRead(peer);
        }
    }

    private void message(String arguments) throws EngineException {
        Target target = target(arguments, "/msg PEER TEXT");
        if (target.rest().isEmpty()) {
            throw new IllegalArgumentException("no text to send; usage: /msg PEER TEXT");
        }
        MessageId id = engine.chat().send(target.peer(), target.rest());
        printer.print(output("sent", "to " + name(target.peer()) + ": " + target.rest())
                .with("peerId", target.peer().toBase58()).with("id", id.toString())
                .numbered(printer.numbers().number(new MessageRef(new ConversationRef.Direct(target.peer()),
                        engine.peerId(), id))));
    }

    private void history(String arguments) throws EngineException {
        Target target = target(arguments, "/history PEER [N]");
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
        List<ChatMessage> shown = page.messages().stream().filter(m -> !m.details().hidden()).toList();
        List<String> lines = new ArrayList<>(shown.stream()
                .map(m -> ChatEvents.historyLine(printer.numbers(), engine.peerId(), m, peerName)).toList());
        if (dropped > 0) {
            lines.add(ChatEvents.droppedLine(target.peer(), dropped));
        }
        Output history = output("history", lines.isEmpty() ? "no messages with " + peerName : String.join("\n", lines))
                .with("peerId", target.peer().toBase58()).with("name", peerName)
                .with("messages", shown.stream()
                        .map(m -> ChatEvents.historyEntry(printer.numbers(), engine.peerId(), m)).toList());
        printer.print(dropped > 0 ? history.with("dropped", dropped) : history);
    }

    /** A peer named first in the arguments, and the text after it. */
    private record Target(PeerId peer, String rest) {
    }

    private Target target(String arguments, String usage) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("missing PEER; usage: " + usage);
        }
        if (arguments.startsWith("\"")) {
            int close = arguments.indexOf('"', 1);
            if (close < 0) {
                throw new IllegalArgumentException("the name " + arguments + " has no closing quote");
            }
            return new Target(peer(arguments.substring(1, close)), arguments.substring(close + 1).strip());
        }
        List<Lookup.Candidate<PeerId>> known = knownPeers();
        int space = arguments.indexOf(' ');
        String reference = Lookup.leadingName(arguments, known.stream().map(Lookup.Candidate::name).toList())
                .orElse(space < 0 ? arguments : arguments.substring(0, space));
        return new Target(peer(reference, known), arguments.substring(reference.length()).strip());
    }

    private static String singleArgument(String arguments, String usage) {
        if (arguments.isEmpty() || arguments.contains(" ")) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return arguments;
    }

    /** The known peer {@code reference} names ({@link Lookup}), else the PeerId it is. */
    private PeerId peer(String reference) {
        return peer(reference, knownPeers());
    }

    private static PeerId peer(String reference, List<Lookup.Candidate<PeerId>> known) {
        Optional<PeerId> found = Lookup.find(reference, known);
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return PeerId.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no contact, request or nearby peer is called '" + reference
                    + "', nor has a name or PeerId that starts so");
        }
    }

    /** Contacts, requests and blocked peers, then nearby peers that are none of these. */
    private List<Lookup.Candidate<PeerId>> knownPeers() {
        Map<PeerId, String> known = new LinkedHashMap<>();
        Contacts contacts = engine.contacts();
        Stream.of(contacts.accepted(), contacts.requests(), contacts.blocked()).flatMap(List::stream)
                .forEach(contact -> known.put(contact.peer(), contact.name()));
        engine.nearby().peers().forEach(peer -> known.putIfAbsent(peer.peer(), peer.name()));
        return known.entrySet().stream()
                .map(entry -> new Lookup.Candidate<>(entry.getKey(), entry.getKey().toBase58(), entry.getValue()))
                .toList();
    }

    private String name(PeerId peer) {
        return engine.contacts().get(peer).map(ContactInfo::name).orElse(peer.toBase58());
    }

    /** {@code parley chat --help} ends with the commands it reads. */
    static String[] usageFooter() {
        return Stream.concat(Stream.of("", "Commands on standard input, one a line:"),
                Stream.concat(HELP.stream(), NAMING.stream()).map(line -> "  " + line)).toArray(String[]::new);
    }

    static Output ready(Engine engine) {
        String name = engine.card().displayName();
        List<String> addresses = ChatEvents.addresses(engine.listenAddresses());
        return output("ready", "Parley chat as " + name + " (" + engine.peerId() + ")\nlistening on "
                + String.join(", ", addresses) + "\n/help lists the commands")
                .with("peerId", engine.peerId().toBase58()).with("name", name).with("addresses", addresses);
    }
}
