package dev.parley.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parley.crypto.ContactCard;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@code parley chat} writes: with {@code --json} one JSON object a line, {@code "event"} first (non-ASCII
 * escaped, so any reader's encoding reads it right); otherwise the human line. Every output is made as both and
 * printed as one, from the command thread and the engine's event thread alike, a whole line at a time.
 */
final class ChatPrinter {
    /** How many characters of a message {@link #excerpt} keeps. */
    static final int EXCERPT = 40;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private final PrintWriter out;
    private final boolean json;
    private final ReentrantLock lock = new ReentrantLock();
    private final MessageNumbers numbers = new MessageNumbers();

    ChatPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** A JSON object under construction, with the human text that goes with it. */
    static final class Output {
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private String human;

        private Output(String event, String human) {
            fields.put("event", event);
            this.human = human;
        }

        Output with(String field, Object value) {
            fields.put(field, value);
            return this;
        }

        /** Shows the message this output is about as #{@code number}, by which commands name it. */
        Output numbered(int number) {
            human = "#" + number + " " + human;
            return with("number", number);
        }
    }

    static Output output(String event, String human) {
        return new Output(event, human);
    }

    /** The numbers messages are shown under in this session. */
    MessageNumbers numbers() {
        return numbers;
    }

    /** Whether this prints JSON, which needs no human text. */
    boolean json() {
        return json;
    }

    void print(Output output) {
        String line;
        try {
            line = json ? JSON.writeValueAsString(output.fields) : output.human;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + output.fields.get("event") + " does not serialize", e);
        }
        lock.lock();
        try {
            out.println(line);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * A peer's text as a person's line shows it: each line after the first indented, so that no line the peer writes
     * reads as one Parley prints (a notice, a message from someone else); controls, other line breaks, lone
     * surrogates and direction marks, which could move the cursor, clear the terminal or turn what follows, as U+FFFD.
     */
    static String shown(String text) {
        StringBuilder shown = new StringBuilder(text.length());
        text.replace("\r\n", "\n").codePoints().forEach(codePoint -> {
            if (codePoint == '\n') {
                shown.append("\n  ");
            } else if (codePoint != '\t' && ContactCard.breaksOrDisguises(codePoint)) {
                shown.append('\uFFFD');
            } else {
                shown.appendCodePoint(codePoint);
            }
        });
        return shown.toString();
    }

    /** The start of a text to recall it by on one line: its first line, cut at {@value #EXCERPT} characters. */
    static String excerpt(String text) {
        String firstLine = text.strip().lines().findFirst().orElse("");
        boolean cut = firstLine.codePointCount(0, firstLine.length()) > EXCERPT;
        String start = cut ? firstLine.substring(0, firstLine.offsetByCodePoints(0, EXCERPT)).strip() : firstLine;
        return shown(start) + (cut || !firstLine.equals(text.strip()) ? "…" : "");
    }

    void error(String message) {
        print(output("error", "error: " + message).with("message", message));
    }
}
