package dev.parley.app.ui;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import java.awt.Component;
import java.awt.Desktop;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files in a conversation view, the same in a 1:1 conversation and a room: sending the files the user attached,
 * dropped or pasted (each copied into the profile first, its progress above the composer, off the EDT), and what the
 * buttons of a {@link FileCard} do: download, pause, cancel, view a picture ({@link PictureViewer}), "Save as…" and
 * "Show in folder" (saved into the Downloads folder once, which opens; the file itself is never opened).
 */
final class FileActions {
    private static final Logger log = LoggerFactory.getLogger(FileActions.class);
    /** How a pasted picture is named: "pasted image 2026-12-07 22.30.png". */
    private static final DateTimeFormatter PASTED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH.mm");

    /** Where a conversation view sends to and shows what it sent. */
    interface Target {
        /** The open conversation; empty before one is opened. */
        Optional<ConversationRef> conversation();

        /** Our message {@code id}, just stored in {@code conversation}, is to be shown as sent there. */
        void sentHere(ConversationRef conversation, MessageId id);
    }

    private final Engine engine;
    private final Composer composer;
    private final Target target;
    /** Asks where to save a file named so (a file chooser); tests answer instead. */
    private BiFunction<Component, String, Optional<Path>> chooseSaveTarget = FileActions::chooseSaveTarget;
    /** Where "Show in folder" saves; tests give a folder of their own. */
    private Path downloads = defaultDownloads();
    /** Opens a folder for the user; tests record it instead, so no file manager starts. */
    private Consumer<Path> openFolder = FileActions::openFolder;
    private PictureViewer viewer;

    FileActions(Engine engine, Composer composer, Target target) {
        this.engine = engine;
        this.composer = composer;
        this.target = target;
    }

    /** Sends each of {@code files} in turn, each copied into the profile first; each shows once it is stored. */
    void send(List<Path> files) {
        Optional<ConversationRef> to = target.conversation();
        if (to.isEmpty() || files.isEmpty()) {
            return;
        }
        sendNext(to.get(), files, 0);
    }

    private void sendNext(ConversationRef to, List<Path> files, int index) {
        if (index == files.size()) {
            composer.hideProgress();
            return;
        }
        Path file = files.get(index);
        String name = String.valueOf(file.getFileName());
        long size = sizeOf(file);
        Copying copying = new Copying(name, size);
        composer.showProgress(Texts.text("composer.copying", name, Forms.size(0), Forms.size(size)), 0);
        UiTasks.run(() -> engine.files().send(to, file, "", copying::copied), id -> {
            target.sentHere(to, id);
            sendNext(to, files, index + 1);
        }, failure -> {
            composer.hideProgress();
            composer.showError(Texts.text("composer.fileNotSent", name, EngineErrors.message(failure)));
        });
    }

    /** Reports the bytes copied to the composer at most once a percent, so a large file does not flood the EDT. */
    private final class Copying {
        private final String name;
        private final long size;
        private volatile int shownPermille = -1;

        Copying(String name, long size) {
            this.name = name;
            this.size = size;
        }

        void copied(long bytes) {
            int permille = size <= 0 ? 1000 : (int) Math.min(1000, bytes * 1000 / size);
            if (permille / 10 != shownPermille / 10) {
                shownPermille = permille;
                SwingUtilities.invokeLater(() -> composer.showProgress(Texts.text("composer.copying", name,
                        Forms.size(bytes), Forms.size(size)), permille));
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Writes a picture pasted from the clipboard to a PNG in a folder of its own, then sends it and deletes it. */
    void sendPasted(BufferedImage pasted) {
        String name = Texts.text("composer.pastedImage", LocalDateTime.now().format(PASTED_AT)) + ".png";
        UiTasks.run(() -> {
            Path folder = Files.createTempDirectory("parley-pasted");
            Path file = folder.resolve(name);
            ImageIO.write(pasted, "png", file.toFile());
            return file;
        }, file -> sendThenDelete(file), failure -> composer.showError(Texts.text("composer.fileNotSent", name,
                EngineErrors.message(failure))));
    }

    private void sendThenDelete(Path file) {
        Optional<ConversationRef> to = target.conversation();
        if (to.isEmpty()) {
            deleteQuietly(file);
            return;
        }
        String name = String.valueOf(file.getFileName());
        composer.showProgress(Texts.text("composer.copying", name, Forms.size(0), Forms.size(sizeOf(file))), 0);
        UiTasks.run(() -> {
            try {
                return engine.files().send(to.get(), file, "", copied -> { });
            } finally {
                deleteQuietly(file);
            }
        }, id -> {
            composer.hideProgress();
            target.sentHere(to.get(), id);
        }, failure -> {
            composer.hideProgress();
            composer.showError(Texts.text("composer.fileNotSent", name, EngineErrors.message(failure)));
        });
    }

    /** The pasted picture's copy is in the profile (or was refused): its file and folder go. */
    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            log.warn("the pasted picture {} could not be deleted: {}", file, e.getMessage());
        }
    }

    /** What the user asked of the file of {@code message}, shown in {@code row}. */
    void run(MessageRow row, MessageRef message, FileCard.Command command) {
        switch (command) {
            case DOWNLOAD -> act(() -> engine.files().download(message));
            case PAUSE -> act(() -> engine.files().pause(message));
            case CANCEL -> act(() -> engine.files().cancel(message));
            case SAVE_AS -> saveAs(row, message);
            case SHOW_IN_FOLDER -> showInFolder(message);
            case VIEW -> view(row, message);
        }
    }

    private void saveAs(MessageRow row, MessageRef message) {
        String name = row.fileCard().map(card -> card.attachment().name()).orElse("file");
        chooseSaveTarget.apply(row, name).ifPresent(chosen -> act(() -> engine.files().saveAs(message, chosen)));
    }

    private void showInFolder(MessageRef message) {
        Path folder = downloads;
        UiTasks.run(() -> {
            Files.createDirectories(folder);
            return engine.files().savedOnceIn(message, folder);
        }, saved -> openFolder.accept(saved.getParent()), this::failed);
    }

    /** A picture here opens in the viewer; one not here yet starts coming. */
    private void view(MessageRow row, MessageRef message) {
        boolean here = row.fileCard().map(card -> card.attachment().transfer().state() == FileTransfer.State.COMPLETE)
                .orElse(false);
        if (!here) {
            act(() -> engine.files().download(message));
            return;
        }
        String name = row.fileCard().map(card -> card.attachment().name()).orElse("");
        if (viewer != null) {
            viewer.dispose();
        }
        viewer = PictureViewer.open(row, name, () -> engine.files().stored(message));
    }

    /** The picture viewer opened last, while it shows. */
    Optional<PictureViewer> viewer() {
        return Optional.ofNullable(viewer).filter(PictureViewer::isShowing);
    }

    void setSaveTargetChooser(BiFunction<Component, String, Optional<Path>> chooser) {
        chooseSaveTarget = chooser;
    }

    void setDownloads(Path folder, Consumer<Path> opener) {
        downloads = folder;
        openFolder = opener;
    }

    private void act(TimelineActions.EngineAction action) {
        Callable<Boolean> work = () -> {
            action.run();
            return true;
        };
        UiTasks.run(work, done -> { }, this::failed);
    }

    private void failed(Throwable failure) {
        composer.showError(Texts.text("file.failed", EngineErrors.message(failure)));
    }

    private static Optional<Path> chooseSaveTarget(Component over, String name) {
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle(Texts.text("file.saveAs.title"));
        chooser.setSelectedFile(new File(chooser.getCurrentDirectory(), name));
        if (chooser.showSaveDialog(SwingUtilities.getWindowAncestor(over)) != JFileChooser.APPROVE_OPTION) {
            return Optional.empty();
        }
        Path chosen = chooser.getSelectedFile().toPath();
        // Save as replaces what is there: only when the user says so.
        return Files.exists(chosen) && !replaceConfirmed(over, chosen) ? Optional.empty() : Optional.of(chosen);
    }

    private static boolean replaceConfirmed(Component over, Path chosen) {
        String replace = Texts.text("file.saveAs.replace");
        String cancel = Texts.text("file.cancel");
        JOptionPane pane = new JOptionPane(Texts.text("file.saveAs.exists", String.valueOf(chosen.getFileName())),
                JOptionPane.WARNING_MESSAGE, JOptionPane.OK_CANCEL_OPTION, null, new Object[] {replace, cancel},
                cancel);
        JDialog dialog = pane.createDialog(over, Texts.text("file.saveAs.title"));
        dialog.setName("confirmReplace");
        dialog.setVisible(true);
        dialog.dispose();
        return replace.equals(pane.getValue());
    }

    /** The user's Downloads folder, or their home folder's "Downloads" to be made. */
    private static Path defaultDownloads() {
        return Path.of(System.getProperty("user.home"), "Downloads");
    }

    /** Opens {@code folder} in the desktop's file manager, where there is one; never a file, which might run. */
    private static void openFolder(Path folder) {
        if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            UiTasks.run(() -> {
                Desktop.getDesktop().open(folder.toFile());
                return folder;
            }, opened -> { }, failure -> log.info("the folder {} could not be opened: {}", folder,
                    failure.getMessage()));
        }
    }
}
