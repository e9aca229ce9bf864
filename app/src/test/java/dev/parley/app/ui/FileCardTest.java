package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import java.awt.Component;
import java.awt.Container;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JFrame;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's card as a stranger's offer makes it: a thumbnail that declares more than the window decodes shows as a file
 * card instead, and each state of the transfer shows its words and only the buttons that fit; the picture viewer
 * refuses a picture whose header declares 30,000 × 30,000 and says why.
 */
class FileCardTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aThumbnailDeclaringTwoThousandSquareIsNotDecodedAndTheFileShowsAsACard() throws Exception {
        // A whole, valid picture of 4 megapixels in a few KiB: decoded without the window's limits, it would show.
        byte[] hostile = png(2_000, 2_000);
        assertThat(hostile.length).isLessThan(64 * 1024);
        FileCard card = GuiActionRunner.execute(() -> new FileCard(picture(hostile,
                transfer(FileTransfer.State.COMPLETE, MIB, 0)), command -> { }));

        assertThat(GuiActionRunner.execute(card::showsPicture)).isFalse();
        assertThat(GuiActionRunner.execute(() -> card.getAccessibleContext().getAccessibleName()))
                .isEqualTo("File photo.png, 1.0 MB");
    }

    @Test
    void aThumbnailWithinTheLimitsShowsAsThePicture() throws Exception {
        FileCard card = GuiActionRunner.execute(() -> new FileCard(picture(png(320, 240),
                transfer(FileTransfer.State.COMPLETE, MIB, 0)), command -> { }));

        assertThat(GuiActionRunner.execute(card::showsPicture)).isTrue();
        assertThat(GuiActionRunner.execute(() -> card.getAccessibleContext().getAccessibleName()))
                .isEqualTo("Picture photo.png, 1.0 MB");
    }

    @Test
    void eachStateShowsItsWordsAndTheButtonsThatFit() {
        FileAttachment offered = new FileAttachment("film.mp4", 4 * MIB, "video/mp4", Optional.empty(), 0, 0,
                transfer(FileTransfer.State.OFFERED, 0, 0));
        List<FileCard.Command> clicked = new ArrayList<>();
        FileCard card = GuiActionRunner.execute(() -> new FileCard(offered, clicked::add));

        assertThat(shown(card)).containsExactly("fileName", "fileInfo", "fileStatus", "fileDownload");
        assertThat(GuiActionRunner.execute(card::statusText)).isEqualTo("Not downloaded");

        GuiActionRunner.execute(() -> card.showTransfer(transfer(FileTransfer.State.FETCHING, MIB, MIB)));
        assertThat(shown(card)).containsExactly("fileName", "fileInfo", "fileStatus", "fileProgress", "filePause",
                "fileCancel");
        assertThat(GuiActionRunner.execute(card::statusText)).isEqualTo("1.0 MB of 4.0 MB · 1.0 MB/s · 3 s left");

        GuiActionRunner.execute(() -> card.showTransfer(transfer(FileTransfer.State.PAUSED, MIB, 0)));
        assertThat(shown(card)).containsExactly("fileName", "fileInfo", "fileStatus", "fileProgress", "fileResume",
                "fileCancel");
        GuiActionRunner.execute(() -> ((JButton) named(card, "fileResume")).doClick());
        assertThat(clicked).containsExactly(FileCard.Command.DOWNLOAD);

        GuiActionRunner.execute(() -> card.showTransfer(transfer(FileTransfer.State.COMPLETE, 4 * MIB, 0)));
        assertThat(shown(card)).containsExactly("fileName", "fileInfo", "fileSaveAs", "fileShowInFolder");

        GuiActionRunner.execute(() -> card.showTransfer(transfer(FileTransfer.State.CANCELLED, 0, 0)));
        assertThat(shown(card)).containsExactly("fileName", "fileInfo", "fileStatus", "fileDownload");
    }

    @Test
    void aPictureTakesTheFocusAndOpensWithEnterOrSpace() throws Exception {
        List<FileCard.Command> commands = new CopyOnWriteArrayList<>();
        FileCard card = GuiActionRunner.execute(() -> new FileCard(picture(png(320, 240),
                transfer(FileTransfer.State.COMPLETE, MIB, 0)), commands::add));
        JFrame frame = GuiActionRunner.execute(() -> {
            JFrame shown = new JFrame("card");
            shown.add(card);
            shown.setBounds(50, 50, 400, 400);
            shown.setVisible(true);
            return shown;
        });
        Robot robot = BasicRobot.robotWithCurrentAwtHierarchy();
        try {
            Component picture = GuiActionRunner.execute(() -> named(card, "fileThumbnail"));
            robot.focusAndWaitForFocusGain(picture);
            robot.pressAndReleaseKey(KeyEvent.VK_ENTER);
            robot.pressAndReleaseKey(KeyEvent.VK_SPACE);
            robot.waitForIdle();

            assertThat(commands).containsExactly(FileCard.Command.VIEW, FileCard.Command.VIEW);
        } finally {
            robot.cleanUpWithoutDisposingWindows();
            GuiActionRunner.execute(frame::dispose);
        }
    }

    @Test
    void theViewerSaysWhyItRefusesAPictureDeclaringThirtyThousandSquare(@TempDir Path temp) throws Exception {
        Path bomb = Files.write(temp.resolve("bomb.png"), withDeclaredSize(png(4, 4), 30_000, 30_000));
        JFrame owner = GuiActionRunner.execute(() -> {
            JFrame frame = new JFrame("owner");
            frame.setBounds(50, 50, 300, 200);
            frame.setVisible(true);
            return frame;
        });
        try {
            PictureViewer viewer = GuiActionRunner.execute(() -> PictureViewer.open(owner, "bomb.png", () -> bomb));
            Pause.pause(new Condition("the refusal shown") {
                @Override
                public boolean test() {
                    return GuiActionRunner.execute(() -> viewer.refusal().isPresent());
                }
            }, Timeout.timeout(WindowTest.WAIT.toMillis()));

            assertThat(GuiActionRunner.execute(() -> viewer.refusal().orElseThrow()))
                    .isEqualTo("This picture is not shown: it has more pixels than Parley decodes.");
            assertThat(GuiActionRunner.execute(viewer::picture)).isEmpty();
        } finally {
            GuiActionRunner.execute(() -> {
                for (java.awt.Window owned : owner.getOwnedWindows()) {
                    owned.dispose();
                }
                owner.dispose();
            });
        }
    }

    private static FileAttachment picture(byte[] thumbnail, FileTransfer transfer) {
        return new FileAttachment("photo.png", MIB, "image/png",
                Optional.of(new FileAttachment.Thumbnail(thumbnail, "image/png")), 4000, 3000, transfer);
    }

    private static FileTransfer transfer(FileTransfer.State state, long held, double bytesPerSecond) {
        return new FileTransfer(state, held, 4 * MIB, bytesPerSecond, Optional.empty());
    }

    /** The names of the card's parts that show, in order. */
    private static List<String> shown(FileCard card) {
        return GuiActionRunner.execute(() -> {
            List<String> names = new ArrayList<>();
            collect(card, names);
            return names;
        });
    }

    private static void collect(Container in, List<String> names) {
        for (Component child : in.getComponents()) {
            if (!child.isVisible()) {
                continue;
            }
            if (child.getName() != null && child.getName().startsWith("file")) {
                names.add(child.getName());
            }
            if (child instanceof Container container) {
                collect(container, names);
            }
        }
    }

    private static Component named(Container in, String name) {
        for (Component child : in.getComponents()) {
            if (name.equals(child.getName())) {
                return child;
            }
            if (child instanceof Container container) {
                Component found = named(container, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return out.toByteArray();
    }

    /** {@code png} with its IHDR saying {@code width} × {@code height}, its checksum made to match. */
    private static byte[] withDeclaredSize(byte[] png, int width, int height) {
        byte[] changed = png.clone();
        // After the 8-byte signature: the IHDR's length (4), its type (4), then width and height.
        ByteBuffer.wrap(changed, 16, 8).putInt(width).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(changed, 12, 17);
        ByteBuffer.wrap(changed, 29, 4).putInt((int) crc.getValue());
        return changed;
    }
}
