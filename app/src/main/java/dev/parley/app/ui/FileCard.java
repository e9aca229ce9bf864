package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.files.ImageLimits;
import dev.parley.app.engine.files.ImageRefusedException;
import dev.parley.app.engine.files.Images;
import dev.parley.app.ui.i18n.Texts;
import java.awt.Color;
import java.awt.Cursor;
import java.awt.FlowLayout;
import java.awt.Image;
import java.awt.event.ActionEvent;
import java.awt.event.FocusAdapter;
import java.awt.event.FocusEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.KeyStroke;
import javax.swing.UIManager;
import javax.swing.border.Border;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file a message offers, inside its bubble: a picture's thumbnail (click to view it whole) or a file's card (name,
 * size, type), a line saying how its transfer stands, a progress bar with speed and time left while it comes, and the
 * buttons that fit its state: Download, Pause, Resume, Cancel, and once it is here "Save as…" and "Show in folder".
 */
final class FileCard extends JPanel {
    private static final Logger log = LoggerFactory.getLogger(FileCard.class);
    /**
     * A thumbnail is a stranger's bytes: one whose header declares more than this is refused before it is decoded (the
     * sender's side makes them at most {@link Images#THUMBNAIL_EDGE} on a side and {@link Images#THUMBNAIL_MAX_BYTES}).
     */
    static final ImageLimits THUMBNAIL_LIMITS = new ImageLimits(1024L * 1024, 1024, 1024,
            4L * Images.THUMBNAIL_MAX_BYTES);
    /** A card's width without a picture, and the least a picture's card takes (its buttons need it). */
    private static final int CARD_WIDTH = 260;
    /** The width of the ring a focused picture shows, kept as empty space when it is not focused. */
    private static final int FOCUS_RING = 2;

    /** What the user asked of the file. */
    enum Command {
        DOWNLOAD, PAUSE, CANCEL, SAVE_AS, SHOW_IN_FOLDER, VIEW
    }

    private final JLabel thumbnail = new JLabel();
    private final JLabel name = new JLabel();
    private final JLabel info = new JLabel();
    private final JLabel status = new JLabel();
    private final JProgressBar progress = new JProgressBar(0, 1000);
    private final Map<Command, JButton> buttons = new EnumMap<>(Command.class);
    private final JButton resume = new JButton(Texts.text("file.resume"));
    private FileAttachment attachment;
    private boolean picture;

    FileCard(FileAttachment shown, Consumer<Command> onCommand) {
        setName("fileCard");
        setOpaque(false);
        setLayout(new BoxLayout(this, BoxLayout.Y_AXIS));
        thumbnail.setName("fileThumbnail");
        thumbnail.setCursor(Cursor.getPredefinedCursor(Cursor.HAND_CURSOR));
        thumbnail.setToolTipText(Texts.text("file.picture.tooltip"));
        thumbnail.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                onCommand.accept(Command.VIEW);
            }
        });
        openableByKeyboard(() -> onCommand.accept(Command.VIEW));
        name.setName("fileName");
        name.putClientProperty(FlatClientProperties.STYLE, "font: bold");
        info.setName("fileInfo");
        status.setName("fileStatus");
        status.putClientProperty(FlatClientProperties.STYLE, "font: -1");
        progress.setName("fileProgress");
        progress.setAlignmentX(LEFT_ALIGNMENT);
        JPanel actions = new JPanel(new FlowLayout(FlowLayout.LEADING, 0, 0));
        actions.setOpaque(false);
        actions.setAlignmentX(LEFT_ALIGNMENT);
        button(actions, Command.DOWNLOAD, "file.download", "fileDownload", onCommand);
        button(actions, Command.PAUSE, "file.pause", "filePause", onCommand);
        resume.setName("fileResume");
        styleButton(resume);
        resume.addActionListener(event -> onCommand.accept(Command.DOWNLOAD));
        actions.add(resume);
        button(actions, Command.CANCEL, "file.cancel", "fileCancel", onCommand);
        button(actions, Command.SAVE_AS, "file.saveAs", "fileSaveAs", onCommand);
        button(actions, Command.SHOW_IN_FOLDER, "file.showInFolder", "fileShowInFolder", onCommand);
        for (JLabel label : new JLabel[] {thumbnail, name, info, status}) {
            label.setAlignmentX(LEFT_ALIGNMENT);
            add(label);
        }
        add(progress);
        add(actions);
        show(shown);
    }

    /**
     * The picture takes the focus in its turn, shows it with a ring, and Enter or Space opens it as a click does: the
     * viewer must not be for pointer users only.
     */
    private void openableByKeyboard(Runnable view) {
        thumbnail.setFocusable(true);
        Border unfocused = BorderFactory.createEmptyBorder(FOCUS_RING, FOCUS_RING, FOCUS_RING, FOCUS_RING);
        thumbnail.setBorder(unfocused);
        thumbnail.addFocusListener(new FocusAdapter() {
            @Override
            public void focusGained(FocusEvent event) {
                thumbnail.setBorder(BorderFactory.createLineBorder(UIManager.getColor("Component.focusColor"),
                        FOCUS_RING));
            }

            @Override
            public void focusLost(FocusEvent event) {
                thumbnail.setBorder(unfocused);
            }
        });
        thumbnail.getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "view");
        thumbnail.getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke(KeyEvent.VK_SPACE, 0), "view");
        thumbnail.getActionMap().put("view", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                view.run();
            }
        });
    }

    private void button(JPanel row, Command command, String text, String componentName, Consumer<Command> onCommand) {
        JButton button = new JButton(Texts.text(text));
        button.setName(componentName);
        styleButton(button);
        button.addActionListener(event -> onCommand.accept(command));
        buttons.put(command, button);
        row.add(button);
    }

    private static void styleButton(JButton button) {
        button.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
        // Flush with the words above; the space between two buttons is the first one's right margin.
        button.putClientProperty(FlatClientProperties.STYLE, "margin: 2,0,2,12; font: -1");
    }

    /** Shows {@code shown}: its picture or card, and its transfer. */
    void show(FileAttachment shown) {
        attachment = shown;
        Optional<BufferedImage> preview = shown.isImage() ? shown.thumbnail().flatMap(FileCard::decoded)
                : Optional.empty();
        picture = preview.isPresent();
        preview.ifPresent(image -> thumbnail.setIcon(new ImageIcon(fitted(image))));
        thumbnail.setVisible(picture);
        name.setText(shown.name());
        name.setVisible(!picture);
        info.setText(Forms.size(shown.size()) + " · " + shown.mediaType());
        String accessible = Texts.text(picture ? "file.picture.name" : "file.card.name", shown.name(),
                Forms.size(shown.size()));
        getAccessibleContext().setAccessibleName(accessible);
        thumbnail.getAccessibleContext().setAccessibleName(accessible);
        showTransfer(shown.transfer());
    }

    /** The transfer moved on (a {@code FileProgress} event): the status line, bar and buttons follow. */
    void showTransfer(FileTransfer transfer) {
        attachment = new FileAttachment(attachment.name(), attachment.size(), attachment.mediaType(),
                attachment.thumbnail(), attachment.width(), attachment.height(), transfer);
        FileTransfer.State state = transfer.state();
        status.setText(statusText(transfer));
        status.setVisible(!status.getText().isEmpty());
        boolean moving = state == FileTransfer.State.FETCHING || state == FileTransfer.State.WAITING
                || state == FileTransfer.State.PAUSED;
        progress.setVisible(moving);
        progress.setValue(transfer.size() == 0 ? 0 : (int) (transfer.bytesHeld() * 1000 / transfer.size()));
        buttons.get(Command.DOWNLOAD).setVisible(state == FileTransfer.State.OFFERED
                || state == FileTransfer.State.CANCELLED || state == FileTransfer.State.FAILED);
        buttons.get(Command.PAUSE).setVisible(state == FileTransfer.State.FETCHING
                || state == FileTransfer.State.WAITING);
        resume.setVisible(state == FileTransfer.State.PAUSED);
        buttons.get(Command.CANCEL).setVisible(moving);
        buttons.get(Command.SAVE_AS).setVisible(state == FileTransfer.State.COMPLETE);
        buttons.get(Command.SHOW_IN_FOLDER).setVisible(state == FileTransfer.State.COMPLETE);
        revalidate();
        repaint();
    }

    FileAttachment attachment() {
        return attachment;
    }

    /** Whether it shows a thumbnail (else a file's card). */
    boolean showsPicture() {
        return picture;
    }

    String statusText() {
        return status.getText();
    }

    /** The card's width: the thumbnail's, or a file card's, never less than the buttons need. */
    int naturalWidth() {
        int width = Math.max(UIScale.scale(CARD_WIDTH), getPreferredSize().width);
        return picture ? Math.max(width, thumbnail.getPreferredSize().width) : width;
    }

    /** Colours the card's words for the bubble it sits in: white on ours, the theme's on theirs. */
    void style(boolean outgoing) {
        Color text = outgoing ? Color.WHITE : UIManager.getColor("Label.foreground");
        Color muted = outgoing ? new Color(255, 255, 255, 200) : UIManager.getColor("Label.disabledForeground");
        name.setForeground(text);
        info.setForeground(muted);
        status.setForeground(muted);
        buttons.values().forEach(button -> button.setForeground(outgoing ? Color.WHITE
                : UIManager.getColor("Component.linkColor")));
        resume.setForeground(outgoing ? Color.WHITE : UIManager.getColor("Component.linkColor"));
    }

    private static String statusText(FileTransfer transfer) {
        String held = Forms.size(transfer.bytesHeld());
        String size = Forms.size(transfer.size());
        return switch (transfer.state()) {
            case OFFERED -> Texts.text("file.state.offered");
            case WAITING -> Texts.text("file.state.waiting", held, size);
            case FETCHING -> transfer.timeLeft().map(left -> Texts.text("file.progress", held, size,
                    Forms.size(Math.round(transfer.bytesPerSecond())), duration(left)))
                    .orElseGet(() -> Texts.text("file.progress.starting", held, size));
            case PAUSED -> Texts.text("file.state.paused", held, size);
            // The line above already says its size and type.
            case COMPLETE -> "";
            case CANCELLED -> Texts.text("file.state.cancelled");
            case FAILED -> Texts.text("file.state.failed", transfer.problem().orElse("?"));
        };
    }

    private static String duration(Duration left) {
        long seconds = Math.max(1, left.toSeconds());
        if (seconds < 120) {
            return Texts.text("file.timeLeft.seconds", seconds);
        }
        if (seconds < 2 * 3600) {
            return Texts.text("file.timeLeft.minutes", (seconds + 59) / 60);
        }
        return Texts.text("file.timeLeft.hours", (seconds + 3599) / 3600);
    }

    /** The thumbnail's picture, or empty (the file's card shows instead) when it is refused. */
    private static Optional<BufferedImage> decoded(FileAttachment.Thumbnail shown) {
        try {
            return Optional.of(Images.decodeThumbnail(shown.bytes(), THUMBNAIL_LIMITS));
        } catch (ImageRefusedException e) {
            log.info("a thumbnail is not shown: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** At most {@link Images#THUMBNAIL_EDGE} logical pixels on its longest side. */
    private static Image fitted(BufferedImage image) {
        int edge = UIScale.scale(Images.THUMBNAIL_EDGE);
        int longest = Math.max(image.getWidth(), image.getHeight());
        if (longest <= edge) {
            return image;
        }
        return image.getScaledInstance(image.getWidth() * edge / longest, image.getHeight() * edge / longest,
                Image.SCALE_SMOOTH);
    }
}
