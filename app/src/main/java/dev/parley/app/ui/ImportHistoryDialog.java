package dev.parley.app.ui;

import dev.parley.app.engine.Engine;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.store.ImportCounts;
import dev.parley.store.export.ExportCancelledException;
import dev.parley.store.export.ExportProgress;
import java.awt.Frame;
import java.nio.file.Path;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JProgressBar;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/**
 * Parley → Import history…: adds the history in a JSON export (Export history… in JSON, or
 * {@code parley export --format json}) to this profile while Parley runs ({@link Engine#importHistory}); the
 * imported conversations appear in the list at once. A file imported twice adds nothing the second time, and a bad
 * file changes nothing. Cancel (or Escape) stops an import under way, which then imports nothing.
 */
final class ImportHistoryDialog extends JDialog {
    private static final int TEXT_WIDTH = 340;
    private static final int PROGRESS_STEPS = 1000;

    /** One import under way: it shows its progress on the bar and stops when the dialog closes. */
    private final class Run implements ExportProgress {
        private volatile boolean cancelled;

        @Override
        public void progressed(long done, long total) {
            SwingUtilities.invokeLater(() -> {
                progress.setIndeterminate(false);
                progress.setValue(total <= 0 ? PROGRESS_STEPS : (int) (done * PROGRESS_STEPS / total));
            });
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }
    }

    private final Engine engine;
    private final JTextField file = new JTextField(24);
    private final JButton choose = new JButton("Choose…");
    private final JProgressBar progress = new JProgressBar(0, PROGRESS_STEPS);
    private final JLabel result = new JLabel(" ");
    private final JLabel error = Forms.errorLine();
    private final JButton close = new JButton("Cancel");
    private final JButton importButton = new JButton("Import");
    private Run running;

    ImportHistoryDialog(Frame owner, Engine engine) {
        super(owner, "Import history", true);
        this.engine = engine;
        setName("importDialog");
        file.setName("importFile");
        file.getAccessibleContext().setAccessibleName("Export file to import");
        choose.setName("chooseImportFile");
        choose.getAccessibleContext().setAccessibleName("Choose the export file");
        choose.addActionListener(event -> chooseFile());
        progress.setName("importProgress");
        progress.getAccessibleContext().setAccessibleName("Import progress");
        result.setName("importResult");
        importButton.setName("import");
        close.addActionListener(event -> dispose());
        importButton.addActionListener(event -> importHistory());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title("Import history"))
                .full(Forms.note("Adds the conversations in a JSON export (Export history… in JSON) to yours. What"
                        + " you have already stays; messages you have already are not added twice.", TEXT_WIDTH))
                .row("File", Forms.fileLine(file, choose))
                .full(progress)
                .full(result)
                .full(error);
        Forms.layOut(this, form, owner, close, importButton);
    }

    /** Closing stops an import under way: it then imports nothing. */
    @Override
    public void dispose() {
        if (running != null) {
            running.cancelled = true;
        }
        super.dispose();
    }

    private void chooseFile() {
        JFileChooser chooser = new JFileChooser();
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            file.setText(chooser.getSelectedFile().getPath());
        }
    }

    private void importHistory() {
        String name = file.getText().strip();
        if (name.isEmpty()) {
            Forms.showError(error, "Choose the export file to import.", TEXT_WIDTH);
            pack();
            return;
        }
        Path source = Path.of(name);
        Run run = new Run();
        running = run;
        setBusy(true);
        UiTasks.run(() -> engine.importHistory(source, run), counts -> imported(run, counts),
                failure -> failed(run, failure));
    }

    private void imported(Run run, ImportCounts counts) {
        if (run != running || !isDisplayable()) {
            return;
        }
        running = null;
        progress.setValue(PROGRESS_STEPS);
        int conversations = counts.conversationsAdded() + counts.conversationsMerged();
        Forms.showWrapped(result, String.format("Imported %,d %s in %,d %s (%,d were here already).",
                counts.messagesAdded(), counts.messagesAdded() == 1 ? "message" : "messages", conversations,
                conversations == 1 ? "conversation" : "conversations", counts.messagesAlreadyHeld()), TEXT_WIDTH);
        close.setText("Close");
        getRootPane().setDefaultButton(close);
        pack();
    }

    private void failed(Run run, Throwable failure) {
        if (run != running || !isDisplayable()) {
            return;
        }
        running = null;
        setBusy(false);
        progress.setValue(0);
        if (!(failure instanceof ExportCancelledException)) {
            Forms.showError(error, Forms.sentence(failure.getMessage()) + " Nothing was imported.", TEXT_WIDTH);
            pack();
        }
    }

    private void setBusy(boolean busy) {
        Forms.showError(error, "", TEXT_WIDTH);
        importButton.setEnabled(!busy);
        importButton.setText(busy ? "Importing…" : "Import");
        file.setEnabled(!busy);
        choose.setEnabled(!busy);
        progress.setIndeterminate(busy);
    }
}
