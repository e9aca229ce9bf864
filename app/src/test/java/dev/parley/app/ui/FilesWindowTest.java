package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.formdev.flatlaf.FlatLaf;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.app.engine.files.ImageLimits;
import dev.parley.app.engine.files.Images;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.awt.Color;
import java.awt.Component;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JSpinner;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import javax.swing.TransferHandler;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.finder.WindowFinder;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

/**
 * Files and pictures in the window, engines on loopback: Alice drops a file onto Bob's conversation and pastes a
 * picture, and Bob gets both whole; Bob's picture shows as a thumbnail that opens in the viewer, his file as a card
 * that Alice downloads, pauses, cancels, resumes and saves; a file dropped in a room reaches its member. Screenshots
 * of a conversation with a picture and a file card: files-light.png, files-dark.png.
 */
class FilesWindowTest extends AliceAndBobWindowTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aFileDroppedAndAPicturePastedReachBobWhole() throws Exception {
        openBobsConversation();
        Path report = randomFile("report.pdf", 3 * MIB, 1);
        ConversationPanel panel = onEdt(() -> main(window).conversationPanel());

        String preparing = onEdt(() -> drop(panel, report) ? panel.composer().progressText() : "not taken");

        assertThat(preparing).as("said above the composer while it is copied into the profile")
                .isEqualTo("Preparing report.pdf: 0 bytes of 3.0 MB");
        await("Alice's file shown", () -> fileRow(window, "report.pdf").isPresent());
        await("the preparing line gone", () -> panel.composer().progressText().isEmpty());
        MessageRef atBob = awaitOfferAtBob(name -> name.equals("report.pdf"));
        assertThat(bob.engine().files().attachment(atBob).orElseThrow().transfer().state())
                .as("a file that is no picture waits for Bob").isEqualTo(FileTransfer.State.OFFERED);
        bob.engine().files().download(atBob);
        awaitAtBob(atBob, FileTransfer.State.COMPLETE);
        assertThat(sha256(bob.engine().files().stored(atBob))).isEqualTo(sha256(report));

        BufferedImage screenshot = gradient(300, 200);
        Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new PictureSelection(screenshot), null);
        GuiActionRunner.execute(() -> ((JTextArea) window.textBox("composer").target()).paste());

        MessageRef pasted = awaitOfferAtBob(name -> name.startsWith("pasted image ") && name.endsWith(".png"));
        FileAttachment offered = bob.engine().files().attachment(pasted).orElseThrow();
        assertThat(offered.isImage()).isTrue();
        assertThat(offered.thumbnail()).isPresent();
        awaitAtBob(pasted, FileTransfer.State.COMPLETE);
        BufferedImage received = Images.decode(bob.engine().files().stored(pasted), ImageLimits.defaults());
        assertThat(received.getWidth()).isEqualTo(300);
        assertThat(received.getRGB(10, 10)).isEqualTo(screenshot.getRGB(10, 10));
        assertThat(received.getRGB(290, 190)).isEqualTo(screenshot.getRGB(290, 190));
        await("Alice's picture shown as a thumbnail", () -> fileRow(window, offered.name())
                .flatMap(MessageRow::fileCard).filter(FileCard::showsPicture).isPresent());
        assertThat(onEdt(() -> main(window).conversationPanel().composer().progressText())).isEmpty();
    }

    @Test
    void bobsPictureOpensInTheViewerAndHisFileIsDownloadedPausedCancelledResumedAndSaved() throws Exception {
        Path photo = temp.resolve("crag.jpg");
        ImageIO.write(gradient(1600, 1200), "jpeg", photo.toFile());
        Path notes = randomFile("notes.pdf", 200 * 1024, 2);
        bob.engine().files().send(toAlice(), photo, "the crag", copied -> { });
        bob.engine().files().send(toAlice(), notes, "", copied -> { });
        openBobsConversation();

        await("the picture fetched by itself", () -> fileRow(window, "crag.jpg").flatMap(MessageRow::fileCard)
                .filter(card -> card.showsPicture()
                        && card.attachment().transfer().state() == FileTransfer.State.COMPLETE).isPresent());
        await("the file card waiting for a click", () -> fileRow(window, "notes.pdf").flatMap(MessageRow::fileCard)
                .filter(card -> !card.showsPicture()
                        && card.attachment().transfer().state() == FileTransfer.State.OFFERED).isPresent());
        robot.waitForIdle();
        screenshot(window.target(), "files-light");
        GuiActionRunner.execute(() -> {
            Theme.install(true);
            FlatLaf.updateUI();
        });
        robot.waitForIdle();
        screenshot(window.target(), "files-dark");

        robot.click(awaitShowing("the thumbnail", () -> part(window, "crag.jpg", "fileThumbnail")));
        PictureViewer viewer = awaitFound("the viewer", () -> main(window).conversationPanel().actions().files()
                .viewer().filter(shown -> shown.picture().isPresent()));
        BufferedImage shown = onEdt(() -> viewer.picture().orElseThrow());
        assertThat(shown.getWidth() * 3).as("the aspect ratio kept").isEqualTo(shown.getHeight() * 4);
        robot.waitForIdle();
        screenshot(viewer, "files-viewer");
        GuiActionRunner.execute(viewer::dispose);

        // Large enough that the first progress the engine reports comes long before the file is whole.
        long size = 128 * MIB;
        Path big = randomFile("climbing film.mp4", size, 3);
        bob.engine().files().send(toAlice(), big, "", copied -> { });
        await("the large file offered", () -> fileRow(window, "climbing film.mp4").flatMap(MessageRow::fileCard)
                .filter(card -> card.attachment().transfer().state() == FileTransfer.State.OFFERED).isPresent());
        MessageRef film = onEdt(() -> main(window).conversationPanel().actions()
                .ref(fileRow(window, "climbing film.mp4").orElseThrow().message()));
        pauseOnFirstBytes(film, "climbing film.mp4");
        robot.click(awaitShowing("Download", () -> part(window, "climbing film.mp4", "fileDownload")));
        awaitShown("climbing film.mp4", FileTransfer.State.PAUSED);
        assertThat(onEdt(() -> fileRow(window, "climbing film.mp4").orElseThrow().fileCard().orElseThrow()
                .statusText())).startsWith("Paused");

        robot.click(awaitShowing("Cancel", () -> part(window, "climbing film.mp4", "fileCancel")));
        awaitShown("climbing film.mp4", FileTransfer.State.CANCELLED);
        assertThat(alice.engine().files().attachment(film).orElseThrow().transfer().bytesHeld()).isZero();

        pauseOnFirstBytes(film, "climbing film.mp4");
        robot.click(awaitShowing("Download again", () -> part(window, "climbing film.mp4", "fileDownload")));
        awaitShown("climbing film.mp4", FileTransfer.State.PAUSED);
        robot.click(awaitShowing("Resume", () -> part(window, "climbing film.mp4", "fileResume")));
        awaitShown("climbing film.mp4", FileTransfer.State.COMPLETE);

        Path chosen = temp.resolve("saved").resolve("film.mp4");
        Files.createDirectories(chosen.getParent());
        List<String> offeredNames = new ArrayList<>();
        GuiActionRunner.execute(() -> main(window).conversationPanel().actions().files()
                .setSaveTargetChooser((over, name) -> {
                    offeredNames.add(name);
                    return Optional.of(chosen);
                }));
        robot.click(awaitShowing("Save as", () -> part(window, "climbing film.mp4", "fileSaveAs")));
        await("saved", () -> Files.exists(chosen) && Files.size(chosen) == size);
        assertThat(offeredNames).containsExactly("climbing film.mp4");
        assertThat(sha256(chosen)).isEqualTo(sha256(big));

        Path downloads = temp.resolve("Downloads");
        List<Path> opened = new ArrayList<>();
        GuiActionRunner.execute(() -> main(window).conversationPanel().actions().files()
                .setDownloads(downloads, opened::add));
        robot.click(awaitShowing("the notes' Download", () -> part(window, "notes.pdf", "fileDownload")));
        awaitShown("notes.pdf", FileTransfer.State.COMPLETE);
        robot.click(awaitShowing("Show in folder", () -> part(window, "notes.pdf", "fileShowInFolder")));
        await("the folder opened", () -> !opened.isEmpty());
        assertThat(opened).containsExactly(downloads);
        assertThat(sha256(downloads.resolve("notes.pdf"))).isEqualTo(sha256(notes));
        robot.click(awaitShowing("Show in folder", () -> part(window, "notes.pdf", "fileShowInFolder")));
        await("the folder opened again", () -> opened.size() == 2);
        try (Stream<Path> saved = Files.list(downloads)) {
            assertThat(saved).as("the copy saved the first time is shown again").containsExactly(
                    downloads.resolve("notes.pdf"));
        }
    }

    @Test
    void aFileSentFromAConversationOpenedAtAnOldMessageShowsAmongTheNewest() throws Exception {
        MessageId old = null;
        for (int i = 0; i < 120; i++) {
            MessageId id = bob.engine().chat().send(alice.peerId(), "line " + i);
            old = i == 30 ? id : old;
        }
        MessageId hit = old;
        await("all arrived", () -> alice.engine().history().newest(bob.peerId(), 1).messages().stream()
                .anyMatch(message -> message.text().equals("line 119")));
        GuiActionRunner.execute(() -> main(window).openConversationAt(bob.peerId(), hit));
        ConversationPanel panel = onEdt(() -> main(window).conversationPanel());
        await("opened at line 30", () -> panel.timeline().rows().stream()
                .anyMatch(row -> row.highlighted() && row.message().id().equals(hit)));
        assertThat(onEdt(() -> panel.timeline().newest().map(ChatMessage::text))).as("far back")
                .isNotEqualTo(Optional.of("line 119"));

        Path late = randomFile("late.pdf", 2000, 9);
        assertThat(onEdt(() -> drop(panel, late))).isTrue();

        await("the file shown among the newest", () -> fileRow(window, "late.pdf").isPresent());
        assertThat(onEdt(() -> panel.timeline().rows().stream().anyMatch(row -> row.message().text()
                .equals("line 119")))).isTrue();
    }

    @Test
    void aFileDroppedInARoomReachesItsMember() throws Exception {
        RoomId room = alice.engine().rooms().create("Climbers").id();
        alice.engine().rooms().invite(room, bob.peerId());
        await("Bob invited", () -> bob.engine().rooms().get(room).map(RoomInfo::status)
                .equals(Optional.of(RoomStatus.INVITED)));
        bob.engine().rooms().accept(room);
        await("Bob in", () -> alice.engine().rooms().get(room).orElseThrow().members().size() == 2);
        await("the room listed", () -> main(window).roomList().rooms().size() == 1);
        GuiActionRunner.execute(() -> main(window).openRoom(room));
        await("the room open", () -> main(window).roomPanel().isShowing());
        Path topo = randomFile("topo.pdf", 2 * MIB, 4);
        RoomConversation conversation = onEdt(() -> main(window).roomPanel().conversation());

        assertThat(onEdt(() -> drop(conversation, topo))).isTrue();

        await("Alice's file shown in the room", () -> conversation.timeline().rows().stream()
                .anyMatch(row -> row.fileCard().filter(card -> card.attachment().name().equals("topo.pdf"))
                        .isPresent()));
        MessageRef atBob = awaitFound("Bob's offer", () -> bob.engine().rooms().history(room, 20).stream()
                .map(line -> new MessageRef(new ConversationRef.Room(room), line.sender(), line.id()))
                .filter(line -> named(line, "topo.pdf"::equals)).findFirst());
        bob.engine().files().download(atBob);
        awaitAtBob(atBob, FileTransfer.State.COMPLETE);
        assertThat(sha256(bob.engine().files().stored(atBob))).isEqualTo(sha256(topo));
    }

    @Test
    void settingsSetHowLargeAPictureComesByItselfKeptInTheProfileForTheNextStart() throws Exception {
        assertThat(alice.engine().autoFetchBytes()).as("the default").isEqualTo(8 * MIB);
        window.menuItem("Settings…").click();
        DialogFixture settings = WindowFinder.findDialog("settings").withTimeout(WAIT.toMillis()).using(robot);
        JSpinner spinner = OnScreen.named(robot, settings.target(), "autoFetch", JSpinner.class);
        assertThat(onEdt(() -> (Integer) spinner.getValue())).isEqualTo(8);
        GuiActionRunner.execute(() -> spinner.setValue(0));
        press(settings, "Save");
        await("the settings dialog closed", () -> !settings.target().isShowing());
        assertThat(alice.engine().autoFetchBytes()).isZero();

        Path photo = temp.resolve("summit.png");
        ImageIO.write(gradient(64, 64), "png", photo.toFile());
        bob.engine().files().send(toAlice(), photo, "", copied -> { });
        openBobsConversation();
        await("the picture waiting for a click", () -> fileRow(window, "summit.png").flatMap(MessageRow::fileCard)
                .filter(card -> card.showsPicture()
                        && card.attachment().transfer().state() == FileTransfer.State.OFFERED).isPresent());

        GuiActionRunner.execute(() -> window.target().dispose());
        alice.stopEngine();
        alice.startEngine();
        assertThat(alice.engine().autoFetchBytes()).as("kept in the profile").isZero();
    }

    private void openBobsConversation() {
        GuiActionRunner.execute(() -> main(window).openConversation(bob.peerId()));
        await("Bob's conversation open", () -> main(window).conversationPanel().isShowing()
                && main(window).conversationPanel().contact().isPresent());
    }

    private ConversationRef toAlice() {
        return new ConversationRef.Direct(alice.peerId());
    }

    /** Drops {@code file} on {@code target} as the desktop does: a file list through its transfer handler. */
    private static boolean drop(JComponent target, Path file) {
        return target.getTransferHandler().importData(new TransferHandler.TransferSupport(target,
                new FileListSelection(List.of(file.toFile()))));
    }

    /**
     * Pauses Alice's fetch of {@code message} from its first bytes on (the user is quicker than loopback): through the
     * card's Pause button, clicked on the EDT when the engine first reports bytes held.
     */
    private void pauseOnFirstBytes(MessageRef message, String name) {
        boolean[] clicked = new boolean[1];
        alice.engine().subscribe(event -> {
            if (event instanceof EngineEvent.FileProgress progress && progress.message().equals(message)
                    && progress.transfer().state() == FileTransfer.State.FETCHING
                    && progress.transfer().bytesHeld() > 0 && !clicked[0]) {
                clicked[0] = true;
                try {
                    SwingUtilities.invokeAndWait(() -> part(window, name, "filePause")
                            .ifPresent(button -> ((JButton) button).doClick()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
    }

    private void awaitShown(String name, FileTransfer.State state) {
        await(name + " " + state, () -> fileRow(window, name).flatMap(MessageRow::fileCard)
                .filter(card -> card.attachment().transfer().state() == state).isPresent());
    }

    private MessageRef awaitOfferAtBob(Predicate<String> name) {
        return awaitFound("Bob's offer", () -> bob.engine().history().newest(alice.peerId(), 20).messages().stream()
                .map(ChatMessage::id)
                .map(id -> new MessageRef(new ConversationRef.Direct(alice.peerId()), alice.peerId(), id))
                .filter(message -> named(message, name)).findFirst());
    }

    /** Whether Bob has the offer of a file named so with {@code message}. */
    private boolean named(MessageRef message, Predicate<String> name) {
        return bob.engine().files().attachment(message).map(FileAttachment::name).filter(name).isPresent();
    }

    private void awaitAtBob(MessageRef message, FileTransfer.State state) {
        await("Bob's file " + state, () -> bob.engine().files().attachment(message)
                .filter(file -> file.transfer().state() == state).isPresent());
    }

    private static Optional<MessageRow> fileRow(FrameFixture shown, String name) {
        return main(shown).conversationPanel().timeline().rows().stream()
                .filter(row -> row.fileCard().filter(card -> card.attachment().name().equals(name)).isPresent())
                .findFirst();
    }

    /** The part called {@code partName} of the card of the file {@code name}, while it shows. */
    private static Optional<Component> part(FrameFixture shown, String name, String partName) {
        return fileRow(shown, name).flatMap(MessageRow::fileCard).flatMap(card -> find(card, partName))
                .filter(Component::isShowing);
    }

    private static Optional<Component> find(Component in, String name) {
        if (name.equals(in.getName())) {
            return Optional.of(in);
        }
        if (in instanceof java.awt.Container container) {
            for (Component child : container.getComponents()) {
                Optional<Component> found = find(child, name);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private Path randomFile(String name, long size, long seed) throws Exception {
        Path file = temp.resolve(name);
        Random random = new Random(seed);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    private static BufferedImage gradient(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(40, 110, 200), width, height, new Color(240, 170, 60)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Files as a file manager drags them. */
    private record FileListSelection(List<File> files) implements Transferable {
        @Override
        public DataFlavor[] getTransferDataFlavors() {
            return new DataFlavor[] {DataFlavor.javaFileListFlavor};
        }

        @Override
        public boolean isDataFlavorSupported(DataFlavor flavor) {
            return DataFlavor.javaFileListFlavor.equals(flavor);
        }

        @Override
        public Object getTransferData(DataFlavor flavor) {
            return files;
        }
    }

    /** A picture as a screenshot tool puts it on the clipboard. */
    private record PictureSelection(BufferedImage picture) implements Transferable {
        @Override
        public DataFlavor[] getTransferDataFlavors() {
            return new DataFlavor[] {DataFlavor.imageFlavor};
        }

        @Override
        public boolean isDataFlavorSupported(DataFlavor flavor) {
            return DataFlavor.imageFlavor.equals(flavor);
        }

        @Override
        public Object getTransferData(DataFlavor flavor) {
            return picture;
        }
    }
}
