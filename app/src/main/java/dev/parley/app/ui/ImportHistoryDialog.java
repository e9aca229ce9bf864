package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

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
    private final JButton choose = new JButton(text("file.choose"));
    private final JProgressBar progress = new JProgressBar(0, PROGRESS_STEPS);
    private final JLabel result = new JLabel(" ");
    private final JLabel error = Forms.errorLine();
    private final JButton close = new JButton(text("dialog.cancel"));
    private final JButton importButton = new JButton(text("import.import"));
    private Run running;

    ImportHistoryDialog(Frame owner, Engine engine) {
        super(owner, text("import.title"), true);
        this.engine = engine;
        setName("importDialog");
        file.setName("importFile");
        file.getAccessibleContext().setAccessibleName(text("import.file.name"));
        choose.setName("chooseImportFile");
        choose.getAccessibleContext().setAccessibleName(text("import.file.choose"));
        choose.addActionListener(event -> chooseFile());
        progress.setName("importProgress");
        progress.getAccessibleContext().setAccessibleName(text("import.progress"));
        result.setName("importResult");
        importButton.setName("import");
        close.addActionListener(event -> dispose());
        importButton.addActionListener(event -> importHistory());

        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("import.title")))
                .full(Forms.note(text("import.note"), TEXT_WIDTH))
                .row(text("file.file"), Forms.fileLine(file, choose))
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
            Forms.showError(error, text("import.noFile"), TEXT_WIDTH);
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
        String done = text("import.done", counts.messagesAdded(), conversations, counts.messagesAlreadyHeld());
        if (counts.filesBrought() + counts.filesToFetch() > 0) {
            done += " " + text("import.files", counts.filesBrought(), counts.filesToFetch());
        }
        Forms.showWrapped(result, done, TEXT_WIDTH);
        close.setText(text("dialog.close"));
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
            Forms.showError(error, text("import.failed", Forms.sentence(failure.getMessage())), TEXT_WIDTH);
            pack();
        }
    }

    private void setBusy(boolean busy) {
        Forms.showError(error, "", TEXT_WIDTH);
        importButton.setEnabled(!busy);
        importButton.setText(text(busy ? "import.importing" : "import.import"));
        file.setEnabled(!busy);
        choose.setEnabled(!busy);
        progress.setIndeterminate(busy);
    }
}
