package dev.parley.store.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Markdown (CommonMark): a section per conversation, a heading per day, each message as the sender's name in bold
 * and the time, then its lines joined by hard line breaks. Message text is escaped, so what people typed shows as
 * typed and never becomes markup, links or raw HTML. A file a message offers follows as a line: a picture shown from
 * the files folder, another file as a link to its copy, or its name and that it is not in this export.
 */
final class MarkdownHistoryWriter implements HistoryWriter {
    private static final String MARKUP = "\\`*_{}[]()#+-!|<>~&=";

    private final Writer out;
    private final ExportTimes times;
    private LocalDate day;

    MarkdownHistoryWriter(OutputStream out, ExportTimes times) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        this.times = times;
    }

    @Override
    public void begin(Person owner, List<ExportedConversation> conversations) throws IOException {
        out.write("# Parley chat history\n\nOf " + escape(owner.name()) + " (`" + owner.peerId() + "`).\n");
    }

    @Override
    public void conversation(ExportedConversation conversation) throws IOException {
        day = null;
        out.write("\n## " + escape(conversation.title()) + "\n\n");
        out.write(conversation.isRoom() ? "Room with " + conversation.members().size() + " members.\n"
                : "Conversation with " + escape(conversation.title()) + ".\n");
    }

    @Override
    public void message(ExportedMessage message) throws IOException {
        LocalDate sent = times.day(message.stored().sentAt());
        if (!sent.equals(day)) {
            day = sent;
            out.write("\n### " + ExportTimes.dayName(sent) + "\n");
        }
        out.write('\n');
        String clock = times.clock(message.stored().sentAt());
        if (message.isNotice()) {
            out.write("*" + escape(message.text()) + "* · " + clock + "\n");
            return;
        }
        out.write("**" + escape(message.senderName()) + "** · " + clock + "  \n");
        List<String> lines = new ArrayList<>();
        if (message.file().isEmpty() || !message.text().isEmpty()) {
            for (String line : message.text().split("\n", -1)) {
                lines.add(escape(line));
            }
        }
        message.file().ifPresent(file -> lines.add(file(file)));
        for (int i = 0; i < lines.size(); i++) {
            out.write(lines.get(i));
            // Two spaces make a hard line break; an empty line would end the paragraph, so it gets a backslash.
            out.write(i < lines.size() - 1 ? (lines.get(i).isEmpty() ? "\\\n" : "  \n") : "\n");
        }
    }

    /** The file's line; its name escaped, its link percent-encoded, so neither can make other markup. */
    private static String file(ExportedAttachment file) {
        String name = escape(file.safeName());
        if (file.href().isEmpty()) {
            return "*" + name + "* · " + file.sizeText() + " · not in this export";
        }
        String href = file.href().get();
        return (file.file().isPicture() ? "![" + name + "](" + href + ")  \n" : "")
                + "[" + name + "](" + href + ") · " + file.sizeText();
    }

    @Override
    public void endConversation() {
    }

    @Override
    public void end() throws IOException {
        out.flush();
    }

    /**
     * Backslash-escapes the ASCII punctuation CommonMark could read as markup (any of it may be escaped; a full
     * stop only after leading digits, where it would start a numbered list), and keeps leading spaces, which would
     * otherwise start a code block, as non-breaking spaces.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        boolean leading = true;
        boolean digitsOnly = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (leading && (c == ' ' || c == '\t')) {
                escaped.append("&nbsp;");
                continue;
            }
            leading = false;
            if (MARKUP.indexOf(c) >= 0 || (c == '.' && digitsOnly && i > 0)) {
                escaped.append('\\');
            }
            digitsOnly &= c >= '0' && c <= '9';
            escaped.append(c);
        }
        return escaped.toString();
    }
}
