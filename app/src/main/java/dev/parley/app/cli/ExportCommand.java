package dev.parley.app.cli;

import dev.parley.app.history.ConversationChoice;
import dev.parley.app.history.ExportDates;
import dev.parley.app.history.HistoryFiles;
import dev.parley.store.HistoryScope;
import dev.parley.store.SqliteStore;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.HistoryExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley export}: the profile's history, or part of it, as JSON, HTML, plain text or Markdown. */
@Command(name = "export", description = "Write this profile's chat history to a file: JSON (which `parley import`"
        + " reads back), a web page, plain text or Markdown.")
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--format", required = true, paramLabel = "json|html|txt|md", converter = FormatConverter.class,
            description = "What to write: json, html, txt or md.")
    ExportFormat format;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "The file to write.")
    Path out;

    @Option(names = "--conversation", paramLabel = "ID",
            description = "Only this conversation: its id, a contact's PeerId, or a contact's or room's name.")
    String conversation;

    @Option(names = "--since", paramLabel = "DATE",
            description = "Only messages from this date on: 2026-11-21, 2026-11-21T14:00 or with an offset.")
    String since;

    @Option(names = "--until", paramLabel = "DATE",
            description = "Only messages up to this date; a day includes the whole day.")
    String until;

    @Option(names = "--no-system-lines", description = "Leave out system lines (joins, leaves, renames in rooms).")
    boolean noSystemLines;

    @Option(names = "--force", description = "Replace PATH if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        ZoneId zone = ZoneId.systemDefault();
        PrintWriter err = parent.spec.commandLine().getErr();
        try (SqliteStore store = HistoryFiles.openStore(parent.common.profile())) {
            HistoryScope scope = HistoryScope.everything().withSystemLines(!noSystemLines).between(
                    Optional.ofNullable(since).map(date -> ExportDates.since(date, zone)),
                    Optional.ofNullable(until).map(date -> ExportDates.until(date, zone)));
            if (conversation != null) {
                scope = scope.onlyConversation(ConversationChoice.find(store, conversation).id());
            }
            HistoryExporter exporter = HistoryFiles.exporter(parent.common.profile(), store);
            HistoryExporter.Summary summary = exporter.export(format, scope, zone, out, force,
                    TerminalProgress.on(err, "messages", false));
            PrintWriter shown = parent.spec.commandLine().getOut();
            shown.printf("Exported %s in %s to %s (%,d bytes)%n", Plural.of(summary.messages(), "message"),
                    Plural.of(summary.conversations(), "conversation"), summary.file(), summary.bytes());
            if (summary.files() > 0) {
                shown.printf("and %s (%,d bytes) to %s%n", Plural.of(summary.files(), "file"), summary.fileBytes(),
                        HistoryExporter.filesFolder(summary.file()));
            }
        }
        return 0;
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            return ExportFormat.named(value);
        }
    }
}
