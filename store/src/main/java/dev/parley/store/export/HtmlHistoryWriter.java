package dev.parley.store.export;

import dev.parley.store.Direction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;

/**
 * One self-contained web page that looks like the conversations: bubbles (ours on the right), names, a separator
 * per day, light and dark after the reader's system setting. Its content security policy allows no script and no
 * request at all, and every text is escaped, so a message {@code <script>} shows as those characters. Text runs
 * in its own direction ({@code dir="auto"}), so right-to-left messages read right. A picture shows from the files
 * folder beside the page, or as the thumbnail its offer carries (a {@code data:} URL) when its bytes are not there;
 * another file is a link to its copy. The policy lets images come from those two places only.
 */
final class HtmlHistoryWriter implements HistoryWriter {
    private static final String STYLE = """
            :root { color-scheme: light dark; --page: #f4f5f7; --text: #1d2025; --muted: #6b7280; --in: #ffffff;
              --out: #d8ecff; --line: #dde1e6; --accent: #2f6fde; }
            @media (prefers-color-scheme: dark) { :root { --page: #16181c; --text: #e6e8eb; --muted: #9aa1ab;
              --in: #262a31; --out: #1f3b5c; --line: #30353d; --accent: #7aa7ff; } }
            * { box-sizing: border-box; }
            body { margin: 0; background: var(--page); color: var(--text);
              font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; }
            header, section { max-width: 860px; margin: 0 auto; padding: 16px 20px; }
            h1 { font-size: 22px; margin: 8px 0; } h2 { font-size: 18px; margin: 0 0 4px; }
            .who, .meta { color: var(--muted); font-size: 13px; margin: 0; }
            nav ul { margin: 8px 0 0; padding-left: 20px; } nav a { color: var(--accent); }
            section { border-top: 1px solid var(--line); }
            .day { display: flex; align-items: center; gap: 10px; margin: 18px 0 8px; color: var(--muted);
              font-size: 12px; } .day::before, .day::after { content: ""; flex: 1; border-top: 1px solid var(--line); }
            .msg { display: flex; margin: 3px 0; } .msg.out { justify-content: flex-end; }
            .bubble { max-width: 75%; padding: 6px 10px 4px; border-radius: 14px; background: var(--in);
              box-shadow: 0 1px 1px rgba(0,0,0,.08); min-width: 0; }
            .out .bubble { background: var(--out); }
            .name { font-weight: 600; font-size: 13px; color: var(--accent); }
            .text { white-space: pre-wrap; overflow-wrap: anywhere; }
            .time { float: right; margin: 4px 0 0 10px; color: var(--muted); font-size: 11px; }
            .notice { text-align: center; color: var(--muted); font-size: 13px; margin: 8px 0; }
            .picture { display: block; max-width: 100%; max-height: 360px; border-radius: 8px; margin: 2px 0; }
            .file { color: var(--muted); font-size: 13px; overflow-wrap: anywhere; } .file a { color: var(--accent); }
            """;

    private final Writer out;
    private final ExportTimes times;
    private LocalDate day;
    private String lastSender;
    private int index;

    HtmlHistoryWriter(OutputStream out, ExportTimes times) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        this.times = times;
    }

    @Override
    public void begin(Person owner, List<ExportedConversation> conversations) throws IOException {
        out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'unsafe-inline'; img-src 'self' file: data:\">\n");
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.write("<meta name=\"color-scheme\" content=\"light dark\">\n");
        out.write("<title>Parley chat history of " + escape(owner.name()) + "</title>\n<style>\n" + STYLE
                + "</style>\n</head>\n<body>\n<header>\n<h1>Parley chat history</h1>\n");
        out.write("<p class=\"who\">Of " + escape(owner.name()) + " · " + escape(owner.peerId()) + "</p>\n");
        if (conversations.size() > 1) {
            out.write("<nav><ul>\n");
            for (int i = 0; i < conversations.size(); i++) {
                out.write("<li><a href=\"#c" + i + "\">" + escape(conversations.get(i).title()) + "</a></li>\n");
            }
            out.write("</ul></nav>\n");
        }
        out.write("</header>\n");
    }

    @Override
    public void conversation(ExportedConversation conversation) throws IOException {
        day = null;
        lastSender = null;
        out.write("<section id=\"c" + index++ + "\">\n<h2 dir=\"auto\">" + escape(conversation.title()) + "</h2>\n");
        StringBuilder members = new StringBuilder();
        for (ExportedConversation.Member member : conversation.members()) {
            members.append(members.isEmpty() ? "" : ", ").append(member.person().name());
        }
        out.write("<p class=\"meta\">" + (conversation.isRoom() ? "Room" : "Conversation") + " · "
                + escape(members.toString()) + "</p>\n");
    }

    @Override
    public void message(ExportedMessage message) throws IOException {
        LocalDate sent = times.day(message.stored().sentAt());
        if (!sent.equals(day)) {
            day = sent;
            lastSender = null;
            out.write("<div class=\"day\">" + ExportTimes.dayName(sent) + "</div>\n");
        }
        String clock = times.clock(message.stored().sentAt());
        if (message.isNotice()) {
            lastSender = null;
            out.write("<div class=\"notice\" dir=\"auto\">" + escape(message.text()) + " · " + clock
                    + "</div>\n");
            return;
        }
        boolean ours = message.stored().direction() == Direction.OUTGOING;
        out.write(ours ? "<div class=\"msg out\"><div class=\"bubble\">" : "<div class=\"msg in\"><div class=\"bubble\">");
        if (!message.stored().sender().equals(lastSender)) {
            out.write("<div class=\"name\" dir=\"auto\">" + escape(message.senderName()) + "</div>");
        }
        lastSender = message.stored().sender();
        if (message.file().isPresent()) {
            file(message.file().get());
        }
        if (message.file().isEmpty() || !message.text().isEmpty()) {
            out.write("<div class=\"text\" dir=\"auto\">");
            out.write(escape(message.text()));
            out.write("</div>");
        }
        out.write("<div class=\"time\" title=\"" + times.iso(message.stored().sentAt()) + "\">" + clock
                + "</div></div></div>\n");
    }

    /** A picture, or a line naming the file: a link to its copy, or saying it is not in this export. */
    private void file(ExportedAttachment file) throws IOException {
        String name = escape(file.safeName());
        if (file.showsAsPicture()) {
            String source = file.href().orElseGet(() -> "data:" + file.thumbnailType().orElseThrow() + ";base64,"
                    + Base64.getEncoder().encodeToString(file.file().thumbnail().orElseThrow()));
            String picture = "<img class=\"picture\" src=\"" + source + "\" alt=\"" + name + "\">";
            out.write(file.href().isPresent() ? "<a href=\"" + source + "\">" + picture + "</a>" : picture);
        }
        out.write("<div class=\"file\" dir=\"auto\">");
        if (file.href().isPresent()) {
            out.write("<a href=\"" + file.href().get() + "\">" + name + "</a>");
        } else {
            out.write(name);
        }
        out.write(" · " + file.sizeText() + (file.copy().isPresent() ? "" : " · not in this export") + "</div>");
    }

    @Override
    public void endConversation() throws IOException {
        out.write("</section>\n");
    }

    @Override
    public void end() throws IOException {
        out.write("</body>\n</html>\n");
        out.flush();
    }

    /** Text as HTML: the five characters that could open or close markup or an attribute become references. */
    static String escape(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            String reference = switch (text.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (reference != null && escaped == null) {
                escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escaped != null) {
                if (reference != null) {
                    escaped.append(reference);
                } else {
                    escaped.append(text.charAt(i));
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }
}
