package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.crypto.MessageId;
import dev.parley.store.StoreLimits;
import dev.parley.transport.multiformats.PeerId;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /room …} and {@code /rooms} in {@code parley chat}. ROOM is a room's name or id, or the start of either
 * ({@link Lookup}); a name with spaces needs no quotes where more follows it, since the longest room name the line
 * starts with is taken. A MEMBER is named by its name in the room, or the start of it, or like a PEER.
 * The changes a command makes are reported by the engine's {@code room} events, whichever client made them.
 */
final class RoomCommands {
    static final List<String> HELP = List.of(
            "/rooms                       list rooms: joined, invited to and left",
            "/room create NAME            create a room",
            "/room invite ROOM PEER       add a contact to a room you administer",
            "/room accept ROOM            join a room you were invited to",
            "/room decline ROOM           decline an invitation",
            "/room say ROOM TEXT          write in a room",
            "/room history ROOM [N]       show the last N lines (default " + ChatCommands.DEFAULT_HISTORY + ", at most "
                    + StoreLimits.MAX_PAGE_SIZE + ")",
            "/room members ROOM           list the members, their roles and presence",
            "/room remove ROOM MEMBER     remove a member (admins)",
            "/room promote ROOM MEMBER    make a member an admin (admins)",
            "/room rename ROOM NAME       rename a room (admins)",
            "/room leave ROOM             leave a room (you keep its history)");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.systemDefault());

    private final Engine engine;
    private final ChatPrinter printer;
    private final Function<String, PeerId> contactPeer;

    /** @param contactPeer resolves a PEER among contacts, requests and nearby peers */
    RoomCommands(Engine engine, ChatPrinter printer, Function<String, PeerId> contactPeer) {
        this.engine = engine;
        this.printer = printer;
        this.contactPeer = contactPeer;
    }

    void list() {
        List<RoomInfo> rooms = engine.rooms().list();
        printer.print(output("rooms", rooms.isEmpty() ? "no rooms; /room create NAME makes one"
                : String.join("\n", rooms.stream().map(room -> room.name() + " (" + room.id() + ", "
                        + status(room) + ", " + Plural.of(room.members().size(), "member") + ")").toList()))
                .with("rooms", rooms.stream().map(RoomCommands::fields).toList()));
    }

    /** Runs {@code /room SUBCOMMAND ARGUMENTS}. */
    void run(String arguments) throws EngineException {
        Words words = Words.split(arguments);
        String subcommand = words.next("/room SUBCOMMAND …; /help lists them");
        switch (subcommand) {
            case "create" -> {
                String name = words.rest("/room create NAME");
                RoomInfo room = engine.rooms().create(name);
                printer.print(output("room-created", "created room " + room.name() + " (" + room.id() + ")")
                        .with("room", room.id().toString()).with("name", room.name()));
            }
            case "invite" -> {
                RoomInfo room = room(words.next("/room invite ROOM PEER", roomNames()));
                PeerId peer = contactPeer.apply(words.rest("/room invite ROOM PEER"));
                engine.rooms().invite(room.id(), peer);
            }
            case "accept" -> engine.rooms().accept(room(words.rest("/room accept ROOM")).id());
            case "decline" -> engine.rooms().decline(room(words.rest("/room decline ROOM")).id());
            case "leave" -> engine.rooms().leave(room(words.rest("/room leave ROOM")).id());
            case "say" -> {
                RoomInfo room = room(words.next("/room say ROOM TEXT", roomNames()));
                String text = words.rest("/room say ROOM TEXT");
                MessageId id = engine.rooms().say(room.id(), text);
                printer.print(output("room-sent", "to " + room.name() + ": " + text)
                        .with("room", room.id().toString()).with("id", id.toString())
                        .numbered(printer.numbers().number(new MessageRef(new ConversationRef.Room(room.id()),
                                engine.peerId(), id))));
            }
            case "history" -> history(room(words.next("/room history ROOM [N]", roomNames())), words.remainder());
            case "members" -> members(room(words.rest("/room members ROOM")));
            case "remove" -> {
                RoomInfo room = room(words.next("/room remove ROOM MEMBER", roomNames()));
                engine.rooms().remove(room.id(), member(room, words.rest("/room remove ROOM MEMBER")));
            }
            case "promote" -> {
                RoomInfo room = room(words.next("/room promote ROOM MEMBER", roomNames()));
                engine.rooms().promote(room.id(), member(room, words.rest("/room promote ROOM MEMBER")));
            }
            case "rename" -> {
                RoomInfo room = room(words.next("/room rename ROOM NAME", roomNames()));
                engine.rooms().rename(room.id(), words.rest("/room rename ROOM NAME"));
            }
            default -> throw new IllegalArgumentException("unknown room command '" + subcommand
                    + "'; /help lists them");
        }
    }

    private void history(RoomInfo room, String count) throws EngineException {
        int limit = ChatCommands.DEFAULT_HISTORY;
        if (!count.isEmpty()) {
            try {
                limit = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + count + "' is not a number of lines");
            }
            if (limit < 1 || limit > StoreLimits.MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("the number of lines must be 1 to " + StoreLimits.MAX_PAGE_SIZE
                        + ", not " + limit);
            }
        }
        MessageNumbers numbers = printer.numbers();
        List<RoomMessage> lines = new ArrayList<>();
        for (RoomMessage line : engine.rooms().history(room.id(), limit)) {
            RoomMessage detailed = line.notice() ? line : withDetails(line);
            if (!detailed.details().hidden()) {
                lines.add(detailed);
            }
        }
        printer.print(output("room-history", lines.isEmpty() ? "nothing in " + room.name() + " yet"
                : String.join("\n", lines.stream().map(line -> numberedLine(numbers, line)).toList()))
                .with("room", room.id().toString()).with("name", room.name())
                .with("messages", lines.stream().map(line -> messageFields(numbers, line)).toList()));
    }

    /** A room's line with its reply, reactions, edits (the room's history gives plain lines). */
    private RoomMessage withDetails(RoomMessage line) throws EngineException {
        MessageDetails details = engine.actions().details(reference(line));
        return new RoomMessage(line.room(), line.id(), line.sender(), line.senderName(), line.outgoing(),
                line.notice(), line.text(), line.hlc(), line.sentAt(), details);
    }

    private static MessageRef reference(RoomMessage message) {
        return new MessageRef(new ConversationRef.Room(message.room()), message.sender(), message.id());
    }

    /** A room's line as shown, numbered unless a notice (which no action can name). */
    private static String numberedLine(MessageNumbers numbers, RoomMessage message) {
        return message.notice() ? line(numbers, message) : "#" + numbers.number(reference(message)) + " "
                + line(numbers, message);
    }

    private void members(RoomInfo room) {
        printer.print(output("room-members", room.name() + ": " + String.join(", ", room.members().stream()
                .map(member -> member.name() + (member.admin() ? " (admin)" : "") + (member.online() ? "" : " (offline)"))
                .toList()))
                .with("room", room.id().toString()).with("name", room.name())
                .with("members", room.members().stream().map(RoomCommands::memberFields).toList()));
    }

    /** The room {@code reference} names ({@link Lookup}). */
    RoomInfo room(String reference) {
        return Lookup.find(reference, engine.rooms().list().stream()
                        .map(room -> new Lookup.Candidate<>(room, room.id().toString(), room.name())).toList())
                .orElseThrow(() -> new IllegalArgumentException("no room is called '" + reference
                        + "', nor has a name or id that starts so; /rooms lists them"));
    }

    private List<String> roomNames() {
        return engine.rooms().list().stream().map(RoomInfo::name).toList();
    }

    /** A member of {@code room}: by its name there or a PeerId, or the start of either; else as a contact. */
    private PeerId member(RoomInfo room, String reference) {
        return Lookup.find(reference, room.members().stream()
                        .map(member -> new Lookup.Candidate<>(member.peer(), member.peer().toBase58(), member.name()))
                        .toList())
                .orElseGet(() -> contactPeer.apply(reference));
    }

    static Map<String, Object> fields(RoomInfo room) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("room", room.id().toString());
        fields.put("name", room.name());
        fields.put("status", room.status().toString().toLowerCase(Locale.ROOT));
        fields.put("epoch", room.epoch());
        fields.put("members", room.members().stream().map(RoomCommands::memberFields).toList());
        return fields;
    }

    private static Map<String, Object> memberFields(RoomInfo.Member member) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("peerId", member.peer().toBase58());
        fields.put("name", member.name());
        fields.put("admin", member.admin());
        fields.put("online", member.online());
        return fields;
    }

    static Map<String, Object> messageFields(MessageNumbers numbers, RoomMessage message) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (!message.notice()) {
            fields.put("number", numbers.number(reference(message)));
        }
        fields.put("room", message.room().toString());
        fields.put("id", message.id().toString());
        fields.put("peerId", message.sender().toBase58());
        fields.put("name", message.senderName());
        fields.put("outgoing", message.outgoing());
        fields.put("notice", message.notice());
        fields.put("text", message.text());
        fields.put("sentAt", message.sentAt().toString());
        fields.put("hlc", message.hlc());
        fields.putAll(MessageActionCommands.fields(numbers, message.details()));
        return fields;
    }

    static String line(MessageNumbers numbers, RoomMessage message) {
        return "[" + CLOCK.format(message.sentAt()) + "] " + (message.notice() ? "* " : message.senderName() + ": ")
                + (message.notice() ? ChatPrinter.shown(message.text())
                : MessageActionCommands.text(numbers, message.text(), message.details()));
    }

    static String status(RoomInfo room) {
        return switch (room.status()) {
            case INVITED -> "invited";
            case JOINED -> "joined";
            case LEFT -> "left";
        };
    }

    /** The room events of {@code parley chat}: {@code room}, {@code room-invitation}, {@code room-message}. */
    static Output updated(RoomInfo room) {
        Output output = output("room", room.name() + " (" + room.id() + "): " + status(room) + ", "
                + Plural.of(room.members().size(), "member"));
        fields(room).forEach(output::with);
        return output;
    }

    static Output invitation(RoomInfo room, PeerId from, String fromName) {
        return output("room-invitation", fromName + " invited you to " + room.name() + "\n  /room accept "
                + room.id() + " to join, /room decline " + room.id() + " to decline")
                .with("room", room.id().toString()).with("name", room.name())
                .with("from", from.toBase58()).with("fromName", fromName);
    }

    static Output message(MessageNumbers numbers, RoomMessage message, String roomName) {
        Output output = output("room-message", roomName + " " + line(numbers, message));
        messageFields(numbers, message).forEach(output::with);
        output.with("roomName", roomName);
        return message.notice() ? output : output.numbered(numbers.number(reference(message)));
    }

    /** The words of a command line: a name may be in double quotes. */
    private static final class Words {
        private String rest;

        private Words(String rest) {
            this.rest = rest.strip();
        }

        static Words split(String arguments) {
            return new Words(arguments);
        }

        String next(String usage) {
            return next(usage, List.of());
        }

        /** The next word, or name in double quotes, or the longest of {@code names} the rest starts with. */
        String next(String usage, List<String> names) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("usage: " + usage);
            }
            String word;
            if (rest.startsWith("\"")) {
                int close = rest.indexOf('"', 1);
                if (close < 0) {
                    throw new IllegalArgumentException(rest + " has no closing quote");
                }
                word = rest.substring(1, close);
                rest = rest.substring(close + 1).strip();
            } else {
                int space = rest.indexOf(' ');
                word = Lookup.leadingName(rest, names).orElse(space < 0 ? rest : rest.substring(0, space));
                rest = rest.substring(word.length()).strip();
            }
            return word;
        }

        /** Everything left, unquoted if it is one quoted name; required. */
        String rest(String usage) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("usage: " + usage);
            }
            return remainder();
        }

        String remainder() {
            String left = rest;
            rest = "";
            boolean oneQuotedName = left.length() > 1 && left.startsWith("\"") && left.indexOf('"', 1) == left.length() - 1;
            return oneQuotedName ? left.substring(1, left.length() - 1) : left;
        }
    }
}
