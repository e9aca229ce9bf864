package dev.parley.app.ui;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.awt.event.InputEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.JComponent;
import javax.swing.TransferHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes files dropped or pasted onto a conversation, and a picture pasted from the clipboard (a screenshot), and hands
 * them on to be sent; anything else (text dropped or pasted into the composer) goes to the handler the component had,
 * which also copies and drags as before.
 */
final class FileDrop extends TransferHandler {
    private static final Logger log = LoggerFactory.getLogger(FileDrop.class);

    private final TransferHandler before;
    private final Consumer<List<Path>> onFiles;
    private final Consumer<BufferedImage> onPicture;

    /** @param before the component's handler until now, for text; null where there was none */
    FileDrop(TransferHandler before, Consumer<List<Path>> onFiles, Consumer<BufferedImage> onPicture) {
        this.before = before;
        this.onFiles = onFiles;
        this.onPicture = onPicture;
    }

    @Override
    public boolean canImport(TransferSupport support) {
        if (support.isDataFlavorSupported(DataFlavor.javaFileListFlavor)) {
            return true;
        }
        // A picture pasted; text comes first when the clipboard holds both (a word processor's selection does).
        if (support.isDataFlavorSupported(DataFlavor.imageFlavor)
                && !support.isDataFlavorSupported(DataFlavor.stringFlavor)) {
            return true;
        }
        return before != null && before.canImport(support);
    }

    @Override
    public boolean importData(TransferSupport support) {
        if (!canImport(support)) {
            return false;
        }
        Transferable data = support.getTransferable();
        try {
            if (support.isDataFlavorSupported(DataFlavor.javaFileListFlavor)) {
                List<?> files = (List<?>) data.getTransferData(DataFlavor.javaFileListFlavor);
                List<Path> paths = files.stream().filter(File.class::isInstance).map(File.class::cast)
                        .filter(File::isFile).map(File::toPath).toList();
                onFiles.accept(paths);
                return !paths.isEmpty();
            }
            if (support.isDataFlavorSupported(DataFlavor.imageFlavor)
                    && !support.isDataFlavorSupported(DataFlavor.stringFlavor)) {
                onPicture.accept(rgb((Image) data.getTransferData(DataFlavor.imageFlavor)));
                return true;
            }
        } catch (UnsupportedFlavorException | IOException e) {
            log.info("what was dropped or pasted could not be read: {}", e.getMessage());
            return false;
        }
        return before.importData(support);
    }

    /** A pasted picture as pixels to write: the clipboard may give any {@link Image}. */
    private static BufferedImage rgb(Image image) {
        if (image instanceof BufferedImage buffered) {
            return buffered;
        }
        BufferedImage copy = new BufferedImage(Math.max(1, image.getWidth(null)), Math.max(1, image.getHeight(null)),
                BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = copy.createGraphics();
        try {
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return copy;
    }

    @Override
    public int getSourceActions(JComponent component) {
        return before == null ? NONE : before.getSourceActions(component);
    }

    @Override
    public void exportAsDrag(JComponent component, InputEvent event, int action) {
        if (before != null) {
            before.exportAsDrag(component, event, action);
        }
    }

    @Override
    public void exportToClipboard(JComponent component, Clipboard clipboard, int action) {
        if (before != null) {
            before.exportToClipboard(component, clipboard, action);
        }
    }
}
