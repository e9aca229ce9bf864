package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Files in {@code parley chat}: {@code /send} offers one, {@code /get}, {@code /pause}, {@code /cancel} and {@code
 * /save} act on the file of message #N; a message's line names its file, and a transfer prints its progress as
 * "file" events.
 */
final class FileCommands {
    static final List<String> HELP = List.of(
            "/send PEER|ROOM PATH     send a file (any size; it goes straight from you to them)",
            "/get N                   fetch the file of message #N, or go on fetching it",
            "/pause N                 stop fetching it, keeping what came",
            "/cancel N                give it up and delete what came",
            "/save N [FOLDER]         save a copy in FOLDER (default: the current folder), never over a file",
            "/served                  how many bytes of files this session sent to others");
    /** The bytes copied into the profile between two progress lines of a large file. */
    private static final long COPY_REPORT_BYTES = 64L * 1024 * 1024;

    private final Engine engine;
    private final ChatPrinter printer;
    private final Function<String, PeerId> contactPeer;
    private final Function<String, RoomInfo> room;

    FileCommands(Engine engine, ChatPrinter printer, Function<String, PeerId> contactPeer,
                 Function<String, RoomInfo> room) {
        this.engine = engine;
        this.printer = printer;
        this.contactPeer = contactPeer;
        this.room = room;
    }

    /** Runs {@code command} if it is a file command; false if it is none. */
    boolean run(String command, String arguments) throws EngineException {
        switch (command) {
            case "/send" -> send(arguments);
            case "/get" -> engine.files().download(numbered(arguments, "/get N"));
            case "/pause" -> engine.files().pause(numbered(arguments, "/pause N"));
            case "/cancel" -> engine.files().cancel(numbered(arguments, "/cancel N"));
            case "/save" -> save(arguments);
            case "/served" -> {
                long served = engine.fileBytesServed();
                printer.print(output("served", bytes(served) + " of files sent to others since this session began")
                        .with("bytes", served));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * "/send Ada L. /home/me/my photo.jpg": names and paths may hold spaces, so the line is split where the words
     * before name a contact or a room and the words after name a file that exists.
     */
    private void send(String arguments) throws EngineException {
        String line = arguments.strip();
        for (int space = line.indexOf(' '); space > 0; space = line.indexOf(' ', space + 1)) {
            Path path = Path.of(line.substring(space + 1).strip());
            Optional<ConversationRef> to = conversation(line.substring(0, space));
            if (to.isPresent() && Files.isRegularFile(path)) {
                send(to.get(), path);
                return;
            }
        }
        throw new IllegalArgumentException("usage: /send PEER|ROOM PATH, with the path of a file that exists");
    }

    private void send(ConversationRef to, Path path) throws EngineException {
        long[] nextReport = {COPY_REPORT_BYTES};
        MessageId id = engine.files().send(to, path, "", copied -> {
            if (copied >= nextReport[0]) {
                nextReport[0] += COPY_REPORT_BYTES;
                printer.print(output("file-copy", "copying " + path.getFileName() + ": " + bytes(copied))
                        .with("path", path.toString()).with("bytes", copied));
            }
        });
        MessageRef sent = new MessageRef(to, engine.peerId(), id);
        Output output = output("sent", "file " + path.getFileName() + " offered").with("id", id.toString());
        if (to instanceof ConversationRef.Direct(PeerId peer)) {
            output.with("peerId", peer.toBase58());
        } else if (to instanceof ConversationRef.Room(var roomId)) {
            output.with("room", roomId.toString());
        }
        engine.files().attachment(sent).ifPresent(file -> fields(file).forEach(output::with));
        printer.print(output.numbered(printer.numbers().number(sent)));
    }

    private void save(String arguments) throws EngineException {
        String trimmed = arguments.strip();
        int space = trimmed.indexOf(' ');
        String number = space < 0 ? trimmed : trimmed.substring(0, space);
        Path folder = Path.of(space < 0 ? "." : trimmed.substring(space + 1).strip());
        Path saved = engine.files().saveIn(numbered(number, "/save N [FOLDER]"), folder);
        printer.print(output("saved", "saved as " + saved).with("path", saved.toAbsolutePath().toString()));
    }

    private Optional<ConversationRef> conversation(String reference) {
        try {
            return Optional.of(new ConversationRef.Direct(contactPeer.apply(reference)));
        } catch (IllegalArgumentException notAPeer) {
            try {
                return Optional.of(new ConversationRef.Room(room.apply(reference).id()));
            } catch (IllegalArgumentException notARoom) {
                return Optional.empty();
            }
        }
    }

    private MessageRef numbered(String arguments, String usage) {
        String number = arguments.strip();
        if (number.isEmpty() || number.contains(" ")) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return printer.numbers().message(number);
    }

    /** How a transfer moved on: "#4 photo.jpg: 42% of 3.1 MB, 1.2 MB/s, 2 s left". */
    static Output progress(MessageNumbers numbers, EngineEvent.FileProgress progress) {
        FileTransfer transfer = progress.transfer();
        String state = transfer.state().name().toLowerCase(Locale.ROOT);
        int percent = transfer.size() == 0 ? 100 : (int) (transfer.bytesHeld() * 100 / transfer.size());
        String human = switch (transfer.state()) {
            case FETCHING -> percent + "% of " + bytes(transfer.size()) + ", " + bytes((long) transfer.bytesPerSecond())
                    + "/s" + transfer.timeLeft().map(left -> ", " + left.toSeconds() + " s left").orElse("");
            case WAITING -> "waiting for " + transfer.problem().orElse("a peer that has it to come online");
            case COMPLETE -> "complete, " + bytes(transfer.size()) + "; /save N to keep a copy";
            case FAILED -> "failed: " + transfer.problem().orElse("unknown");
            default -> state + " at " + percent + "%";
        };
        int number = numbers.number(progress.message());
        return output("file", "#" + number + " file " + human).with("state", state)
                .with("peerId", progress.message().sender().toBase58()).with("id", progress.message().id().toString())
                .with("bytes", transfer.bytesHeld()).with("size", transfer.size())
                .with("bytesPerSecond", (long) transfer.bytesPerSecond()).numbered(number);
    }

    /** " [file photo.jpg, 3.1 MB, image/jpeg]" for a message's line. */
    static String line(FileAttachment file) {
        return "[file " + ChatPrinter.shown(file.name()) + ", " + bytes(file.size()) + ", " + file.mediaType() + "]";
    }

    /** The JSON fields of a message's file. */
    static Map<String, Object> fields(FileAttachment file) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("fileName", file.name());
        fields.put("fileSize", file.size());
        fields.put("fileType", file.mediaType());
        fields.put("fileState", file.transfer().state().name().toLowerCase(Locale.ROOT));
        return fields;
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
