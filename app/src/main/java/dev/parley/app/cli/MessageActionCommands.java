package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The message actions of {@code parley chat}, on messages named by the number they were shown under (#N):
 * {@code /reply}, {@code /react}, {@code /unreact}, {@code /edit}, {@code /delete}, {@code /forward}; and how a
 * message's reply, reactions, edits and deletion read in its line.
 */
final class MessageActionCommands {
    static final List<String> HELP = List.of(
            "/reply N TEXT            reply to message #N, quoting it",
            "/react N EMOJI           react to message #N (once per emoji)",
            "/unreact N EMOJI         take your reaction back",
            "/edit N TEXT             change the text of your message #N, for everyone",
            "/delete N [--everyone]   delete message #N here; with --everyone, your message for everyone",
            "/forward N PEER          send a copy of message #N to a contact");

    private final Engine engine;
    private final ChatPrinter printer;
    private final Function<String, PeerId> contactPeer;

    MessageActionCommands(Engine engine, ChatPrinter printer, Function<String, PeerId> contactPeer) {
        this.engine = engine;
        this.printer = printer;
        this.contactPeer = contactPeer;
    }

    /** Runs {@code command} if it is a message action; false if it is none. */
    boolean run(String command, String arguments) throws EngineException {
        switch (command) {
            case "/reply" -> reply(arguments);
            case "/react" -> react(arguments, false);
            case "/unreact" -> react(arguments, true);
            case "/edit" -> edit(arguments);
            case "/delete" -> delete(arguments);
            case "/forward" -> forward(arguments);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void reply(String arguments) throws EngineException {
        String[] words = split(arguments, "/reply N TEXT");
        MessageRef target = numbers().message(words[0]);
        MessageId id = engine.actions().reply(target, words[1]);
        MessageRef sent = new MessageRef(target.conversation(), engine.peerId(), id);
        printer.print(output("sent", "reply to #" + numbers().number(target) + ": " + words[1])
                .with("id", id.toString()).with("replyTo", numbers().number(target))
                .numbered(numbers().number(sent)));
    }

    private void react(String arguments, boolean removed) throws EngineException {
        String usage = removed ? "/unreact N EMOJI" : "/react N EMOJI";
        String[] words = split(arguments, usage);
        if (words[1].contains(" ")) {
            throw new IllegalArgumentException("one emoji at a time; usage: " + usage);
        }
        MessageRef target = numbers().message(words[0]);
        if (removed) {
            engine.actions().unreact(target, words[1]);
        } else {
            engine.actions().react(target, words[1]);
        }
    }

    private void edit(String arguments) throws EngineException {
        String[] words = split(arguments, "/edit N TEXT");
        engine.actions().edit(numbers().message(words[0]), words[1]);
    }

    private void delete(String arguments) throws EngineException {
        String[] words = arguments.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty() || words.length > 2
                || words.length == 2 && !words[1].equals("--everyone")) {
            throw new IllegalArgumentException("usage: /delete N [--everyone]");
        }
        MessageRef target = numbers().message(words[0]);
        if (words.length == 2) {
            engine.actions().deleteForEveryone(target);
        } else {
            engine.actions().deleteForMe(target);
        }
    }

    private void forward(String arguments) throws EngineException {
        String[] words = split(arguments, "/forward N PEER");
        MessageRef target = numbers().message(words[0]);
        PeerId peer = contactPeer.apply(words[1]);
        MessageId id = engine.actions().forward(target, new ConversationRef.Direct(peer));
        printer.print(output("sent", "forwarded #" + numbers().number(target) + " to " + words[1])
                .with("peerId", peer.toBase58()).with("id", id.toString()).with("forwarded", true)
                .numbered(numbers().number(new MessageRef(new ConversationRef.Direct(peer), engine.peerId(), id))));
    }

    /** A message changed: "#3 edited: new text", "#3 reactions: 👍 2", "#3 message deleted". */
    static Output changed(MessageNumbers numbers, EngineEvent.MessageChanged changed) {
        int number = numbers.number(changed.message());
        String what = changed.change().toString().toLowerCase(Locale.ROOT);
        String human = switch (changed.change()) {
            case EDITED -> "edited: " + text(numbers, changed.text(), changed.details());
            case DELETED -> "message deleted";
            case HIDDEN -> "deleted here";
            case REACTIONS -> "reactions: " + (changed.details().reactions().isEmpty() ? "none"
                    : reactions(changed.details()));
        };
        Output output = output("message-changed", human).with("change", what)
                .with("peerId", changed.message().sender().toBase58()).with("id", changed.message().id().toString())
                .with("text", changed.text());
        fields(numbers, changed.details()).forEach(output::with);
        return output.numbered(number);
    }

    /**
     * A message's text as its line shows it: "message deleted" for one deleted for everyone, then "(edited)",
     * "(forwarded)", what it replies to ("↪ #2: the quoted text") and its reactions ("[👍 2]").
     */
    static String text(MessageNumbers numbers, String text, MessageDetails details) {
        StringBuilder line = new StringBuilder();
        details.replyTo().ifPresent(quote -> line.append("↪ #").append(numbers.number(quote.message()))
                .append(quote.text().map(quoted -> " \"" + ChatPrinter.excerpt(quoted) + "\"").orElse(""))
                .append(" "));
        if (details.forwarded()) {
            line.append("(forwarded) ");
        }
        line.append(details.deleted() ? "message deleted" : ChatPrinter.shown(text));
        if (details.edited()) {
            line.append(" (edited)");
        }
        if (!details.reactions().isEmpty()) {
            line.append(" [").append(reactions(details)).append("]");
        }
        details.file().ifPresent(file -> line.append(line.isEmpty() ? "" : " ").append(FileCommands.line(file)));
        return line.toString();
    }

    /** The JSON fields of a message's details; none for a plain message. */
    static Map<String, Object> fields(MessageNumbers numbers, MessageDetails details) {
        Map<String, Object> fields = new LinkedHashMap<>();
        details.replyTo().ifPresent(quote -> {
            fields.put("replyTo", numbers.number(quote.message()));
            fields.put("replyToId", quote.message().id().toString());
        });
        if (details.forwarded()) {
            fields.put("forwarded", true);
        }
        if (details.edited()) {
            fields.put("edited", true);
        }
        if (details.deleted()) {
            fields.put("deleted", true);
        }
        details.file().ifPresent(file -> fields.putAll(FileCommands.fields(file)));
        if (!details.reactions().isEmpty()) {
            fields.put("reactions", details.reactionCounts());
            fields.put("reactedBy", details.reactions().stream().collect(Collectors.groupingBy(
                    reaction -> reaction.emoji(), LinkedHashMap::new,
                    Collectors.mapping(reaction -> reaction.reactor().toBase58(), Collectors.toList()))));
        }
        return fields;
    }

    private static String reactions(MessageDetails details) {
        return details.reactionCounts().entrySet().stream().map(entry -> ChatPrinter.shown(entry.getKey()) + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }

    private MessageNumbers numbers() {
        return printer.numbers();
    }

    /** "N rest": the number, then the rest of the line, which must not be empty. */
    private static String[] split(String arguments, String usage) {
        String trimmed = arguments.strip();
        int space = trimmed.indexOf(' ');
        if (space < 0 || trimmed.substring(space + 1).isBlank()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return new String[] {trimmed.substring(0, space), trimmed.substring(space + 1).strip()};
    }
}
