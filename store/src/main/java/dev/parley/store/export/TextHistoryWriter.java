package dev.parley.store.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plain text, a line per message: {@code [2026-11-21 14:03] Alice: hi}. Further lines of a message are indented
 * four spaces, so no line of a message can pass for a message of its own; system lines read
 * {@code [2026-11-21 14:03] * Alice added Bob}. A file a message offers is a line of its own:
 * {@code [file: photo.jpg, 1.4 MiB, chat_files/<sha256>-photo.jpg]}, or {@code …, not in this export]}.
 */
final class TextHistoryWriter implements HistoryWriter {
    static final String CONTINUATION = "    ";

    private final Writer out;
    private final ExportTimes times;

    TextHistoryWriter(OutputStream out, ExportTimes times) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        this.times = times;
    }

    @Override
    public void begin(Person owner, List<ExportedConversation> conversations) throws IOException {
        out.write("Parley chat history of " + owner.name() + " (" + owner.peerId() + ")\n");
    }

    @Override
    public void conversation(ExportedConversation conversation) throws IOException {
        out.write("\n== " + (conversation.isRoom() ? "Room " : "Conversation with ") + conversation.title()
                + " ==\n");
    }

    @Override
    public void message(ExportedMessage message) throws IOException {
        out.write('[');
        out.write(times.minute(message.stored().sentAt()));
        out.write("] ");
        if (message.isNotice()) {
            out.write("* ");
        } else {
            out.write(message.senderName());
            out.write(": ");
        }
        String body = message.text();
        if (message.file().isPresent()) {
            ExportedAttachment file = message.file().get();
            String line = "[file: " + file.safeName() + ", " + file.sizeText() + ", "
                    + file.copy().orElse("not in this export") + "]";
            body = body.isEmpty() ? line : body + "\n" + line;
        }
        int start = 0;
        for (int end = body.indexOf('\n'); end >= 0; end = body.indexOf('\n', start)) {
            out.write(body, start, end - start);
            out.write('\n');
            out.write(CONTINUATION);
            start = end + 1;
        }
        out.write(body, start, body.length() - start);
        out.write('\n');
    }

    @Override
    public void endConversation() {
    }

    @Override
    public void end() throws IOException {
        out.flush();
    }
}
