package dev.parley.app.cli;

import dev.parley.app.history.HistoryFiles;
import dev.parley.app.profile.ProfileLock;
import dev.parley.store.ImportCounts;
import dev.parley.store.SqliteStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley import PATH}: a JSON export's history into this profile, merged with what it has. */
@Command(name = "import", description = "Add the history in a JSON export (from `parley export --format json`) to"
        + " this profile. Importing a file twice adds nothing the second time.")
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Parameters(paramLabel = "PATH", description = "The JSON export to import.")
    Path file;

    @Override
    public Integer call() throws Exception {
        ProfileLock lock = parent.common.lockProfile();
        try (lock;
             SqliteStore store = HistoryFiles.openOrCreateStore(parent.common.profile())) {
            ImportCounts counts = HistoryFiles.importer(parent.common.profile(), store).importFrom(file,
                    TerminalProgress.on(parent.spec.commandLine().getErr(), "MB", true));
            parent.spec.commandLine().getOut().printf("Imported %s (%,d were here already) in %d new and %d existing"
                            + " conversation%s from %s%s%n", Plural.of(counts.messagesAdded(), "message"),
                    counts.messagesAlreadyHeld(), counts.conversationsAdded(), counts.conversationsMerged(),
                    counts.conversationsAdded() + counts.conversationsMerged() == 1 ? "" : "s", file, files(counts));
        }
        return 0;
    }

    /** "; 3 files brought back whole, 1 to download again" when the messages it brought offer files. */
    private static String files(ImportCounts counts) {
        if (counts.filesBrought() + counts.filesToFetch() == 0) {
            return "";
        }
        return "; " + Plural.of(counts.filesBrought(), "file") + " brought back whole, " + counts.filesToFetch()
                + " to download again";
    }
}
