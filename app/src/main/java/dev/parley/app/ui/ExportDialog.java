package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.history.ExportDates;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.ConversationId;
import dev.parley.store.HistoryScope;
import dev.parley.store.InvalidInputException;
import dev.parley.store.export.ExportCancelledException;
import dev.parley.store.export.ExportFormat;
import dev.parley.store.export.ExportProgress;
import dev.parley.store.export.HistoryExporter;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Frame;
import java.awt.GridLayout;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.swing.ButtonGroup;
import javax.swing.DefaultListCellRenderer;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JRadioButton;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import javax.swing.filechooser.FileNameExtensionFilter;

/**
 * Export history: a format, every conversation or the open one, an optional range of days, with or without system
 * lines, and the file to write. The export runs off the EDT with a progress bar and Cancel stops it; the exporter
 * moves its file into place only when whole, so a cancelled or failed export leaves no file behind.
 */
final class ExportDialog extends JDialog {
    private static final int TEXT_WIDTH = 380;
    private static final int PROGRESS_STEPS = 1000;
    private static final Path HOME = Path.of(System.getProperty("user.home"));

    /** A conversation the dialog offers to export alone: the one open in the main window. */
    record Conversation(String id, String title) {
        static Conversation with(Engine engine, ContactInfo contact) {
            return new Conversation(ConversationId.direct(engine.peerId(), contact.peer()).toString(),
                    contact.name());
        }

        static Conversation of(RoomInfo room) {
            return new Conversation(ConversationId.of(room.id()).toString(), room.name());
        }
    }

    /** What the form asks to export, and where to. */
    private record Request(ExportFormat format, HistoryScope scope, ZoneId zone, Path destination) {
    }

    /** One export under way: it shows its progress on the bar and stops when Cancel asks it to. */
    private final class Run implements ExportProgress {
        private volatile boolean cancelled;

        @Override
        public void progressed(long done, long total) {
            SwingUtilities.invokeLater(() -> showProgress(this, done, total));
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }
    }

    private final Engine engine;
    private final Optional<Conversation> open;
    private final JComboBox<ExportFormat> format = new JComboBox<>(ExportFormat.values());
    private final JRadioButton scopeAll = new JRadioButton(text("export.scope.all"), true);
    private final JRadioButton scopeCurrent;
    private final JTextField since = new JTextField(10);
    private final JTextField until = new JTextField(10);
    private final JCheckBox systemLines = new JCheckBox(text("export.systemLines"), true);
    private final JTextField destination = new JTextField(26);
    private final JButton browse = new JButton(text("export.browse"));
    private final JProgressBar progress = new JProgressBar(0, PROGRESS_STEPS);
    private final JLabel status = new JLabel(" ");
    private final JLabel error = Forms.errorLine();
    private final JButton cancel = new JButton(text("dialog.cancel"));
    private final JButton export = new JButton(text("export.export"));
    /** The export under way; null while none runs. */
    private Run running;

    /** @param open the conversation open in the main window, if any */
    ExportDialog(Frame owner, Engine engine, Optional<Conversation> open) {
        super(owner, text("export.title"), true);
        this.engine = engine;
        this.open = open;
        setName("export");
        format.setName("format");
        format.setRenderer(new DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean selected,
                                                          boolean focused) {
                return super.getListCellRendererComponent(list, value == null ? "" : label((ExportFormat) value),
                        index, selected, focused);
            }
        });
        scopeAll.setName("scopeAll");
        scopeCurrent = new JRadioButton(open.map(conversation -> text("export.scope.current",
                Forms.shorten(conversation.title(), 40))).orElse(text("export.scope.noneOpen")));
        scopeCurrent.setName("scopeCurrent");
        scopeCurrent.setEnabled(open.isPresent());
        ButtonGroup scopes = new ButtonGroup();
        scopes.add(scopeAll);
        scopes.add(scopeCurrent);
        since.setName("since");
        until.setName("until");
        since.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, text("export.date.placeholder"));
        until.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, text("export.date.placeholder"));
        systemLines.setName("systemLines");
        destination.setName("destination");
        destination.getAccessibleContext().setAccessibleName(text("export.saveTo"));
        destination.setText(defaultDestination(chosenFormat()).toString());
        browse.setName("browse");
        progress.setName("progress");
        progress.setStringPainted(true);
        progress.setString("");
        status.setName("status");
        format.addActionListener(event -> followFormat());
        browse.addActionListener(event -> browse());
        export.addActionListener(event -> export());
        cancel.addActionListener(event -> cancelOrClose());

        JPanel scopeChoice = new JPanel(new GridLayout(0, 1));
        scopeChoice.add(scopeAll);
        scopeChoice.add(scopeCurrent);
        JPanel file = new JPanel(new BorderLayout(UIScale.scale(6), 0));
        file.add(destination, BorderLayout.CENTER);
        file.add(browse, BorderLayout.EAST);
        Forms.Grid form = new Forms.Grid()
                .full(Forms.title(text("export.title")))
                .row(text("export.format"), format)
                .row(text("export.scope"), scopeChoice)
                .row(text("export.from"), since)
                .row(text("export.until"), until)
                .full(Forms.note(text("export.dates.note"), TEXT_WIDTH))
                .full(systemLines)
                .row(text("export.saveTo"), file)
                .full(progress)
                .full(status)
                .full(error);
        Forms.layOut(this, form, owner, cancel, export);
        // Escape and the window's close box act as Cancel does: an export under way is stopped, not abandoned.
        Forms.closeOnEscape(this, this::cancelOrClose);
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent event) {
                cancelOrClose();
            }
        });
    }

    private ExportFormat chosenFormat() {
        return (ExportFormat) format.getSelectedItem();
    }

    private static Path defaultDestination(ExportFormat format) {
        return HOME.resolve("parley-history." + format.extension());
    }

    /** A destination the dialog filled in follows the format's extension; one the user gave stays as it is. */
    private void followFormat() {
        String shown = destination.getText().strip();
        if (Arrays.stream(ExportFormat.values()).anyMatch(any -> defaultDestination(any).toString().equals(shown))) {
            destination.setText(defaultDestination(chosenFormat()).toString());
        }
    }

    private void browse() {
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle(text("export.chooser"));
        chooser.setSelectedFile(new File(destination.getText().strip()));
        chooser.setFileFilter(new FileNameExtensionFilter(label(chosenFormat()), chosenFormat().extension()));
        if (chooser.showSaveDialog(this) == JFileChooser.APPROVE_OPTION) {
            destination.setText(chooser.getSelectedFile().getPath());
        }
    }

    /** Checks the form; if the file exists, asks once whether to replace it; then starts the export. */
    private void export() {
        Optional<Request> request = readForm();
        if (request.isEmpty()) {
            return;
        }
        showError("");
        say(" ");
        setInputsEnabled(false);
        Path target = request.get().destination();
        UiTasks.run(() -> Files.exists(target), exists -> {
            if (!isDisplayable()) {
                return; // closed while the file was looked for
            }
            if (exists && !replaceConfirmed(target)) {
                setInputsEnabled(true);
                return;
            }
            start(request.get(), exists);
        }, this::failed);
    }

    /** The export the form asks for, or empty after showing in the error line what is wrong with it. */
    private Optional<Request> readForm() {
        ZoneId zone = ZoneId.systemDefault();
        HistoryScope scope;
        try {
            scope = HistoryScope.everything().withSystemLines(systemLines.isSelected())
                    .between(date(since, text("export.from"), zone, ExportDates::since),
                            date(until, text("export.until"), zone,
                            ExportDates::until));
        } catch (IllegalArgumentException e) {
            showError(Forms.sentence(e.getMessage()));
            return Optional.empty();
        } catch (InvalidInputException e) {
            showError(text("export.dates.reversed"));
            return Optional.empty();
        }
        if (scopeCurrent.isSelected()) {
            scope = scope.onlyConversation(open.orElseThrow().id());
        }
        String path = destination.getText().strip();
        if (path.isEmpty()) {
            showError(text("export.noFile"));
            return Optional.empty();
        }
        try {
            return Optional.of(new Request(chosenFormat(), scope, zone, HOME.resolve(path)));
        } catch (InvalidPathException e) {
            showError(text("export.badFileName", path, e.getReason()));
            return Optional.empty();
        }
    }

    /**
     * The instant {@code field}'s date stands for, or empty when it is empty.
     *
     * @throws IllegalArgumentException naming the field, when it holds no date
     */
    private static Optional<Instant> date(JTextField field, String label, ZoneId zone,
                                          BiFunction<String, ZoneId, Instant> parse) {
        String text = field.getText().strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse.apply(text, zone));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
        }
    }

    private boolean replaceConfirmed(Path file) {
        return JOptionPane.showConfirmDialog(this, text("export.replace", file), text("export.replace.title"),
                JOptionPane.YES_NO_OPTION, JOptionPane.WARNING_MESSAGE) == JOptionPane.YES_OPTION;
    }

    private void start(Request request, boolean replace) {
        Run run = new Run();
        running = run;
        progress.setIndeterminate(true);
        progress.setString(text("export.exporting"));
        UiTasks.run(() -> engine.history().exporter().export(request.format(), request.scope(), request.zone(),
                request.destination(), replace, run), this::exported, this::failed);
    }

    private void showProgress(Run run, long done, long total) {
        if (run != running) {
            return;
        }
        progress.setIndeterminate(false);
        progress.setValue(total <= 0 ? PROGRESS_STEPS : (int) (done * PROGRESS_STEPS / total));
        progress.setString(text("export.progress", done, total));
    }

    /** Cancel stops the export under way; with none under way it closes the dialog. */
    private void cancelOrClose() {
        if (running == null) {
            dispose();
            return;
        }
        running.cancelled = true;
        cancel.setEnabled(false);
        progress.setString(text("export.cancelling"));
    }

    private void exported(HistoryExporter.Summary summary) {
        running = null;
        progress.setIndeterminate(false);
        progress.setValue(PROGRESS_STEPS);
        if (summary.files() > 0) {
            say(text("export.doneWithFiles", summary.messages(), summary.file(), Forms.size(summary.bytes()),
                    summary.files(), Forms.size(summary.fileBytes()), HistoryExporter.filesFolder(summary.file())));
        } else {
            say(summary.bytes() < 0 ? text("export.done", summary.messages(), summary.file())
                    : text("export.doneWithSize", summary.messages(), summary.file(), Forms.size(summary.bytes())));
        }
        // Done: the form stays as it was exported, and the dialog only closes now.
        cancel.setText(text("dialog.close"));
        getRootPane().setDefaultButton(cancel);
    }

    private void failed(Throwable failure) {
        running = null;
        progress.setIndeterminate(false);
        progress.setValue(0);
        progress.setString("");
        cancel.setEnabled(true);
        if (failure instanceof ExportCancelledException) {
            say(text("export.cancelled"));
        } else {
            showError(Forms.sentence(failure.getMessage()));
        }
        setInputsEnabled(true);
    }

    private void setInputsEnabled(boolean enabled) {
        for (JComponent input : new JComponent[] {format, scopeAll, since, until, systemLines, destination, browse,
                export}) {
            input.setEnabled(enabled);
        }
        scopeCurrent.setEnabled(enabled && open.isPresent());
    }

    private void say(String message) {
        Forms.showWrapped(status, message, TEXT_WIDTH);
        pack();
    }

    private void showError(String message) {
        Forms.showError(error, message, TEXT_WIDTH);
        pack();
    }

    /** A format as the list of formats names it, in the user's language. */
    private static String label(ExportFormat format) {
        return switch (format) {
            case JSON -> text("export.format.json");
            case HTML -> text("export.format.html");
            case TEXT -> text("export.format.text");
            case MARKDOWN -> text("export.format.markdown");
        };
    }
}
