package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.files.ImageLimits;
import dev.parley.app.engine.files.ImageRefusedException;
import dev.parley.app.engine.files.Images;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.tasks.UiTasks;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.GraphicsConfiguration;
import java.awt.Rectangle;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.KeyStroke;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;

/**
 * A received or sent picture, whole, in a window of its own: decoded off the EDT with {@link Images#decodeScaled}
 * within {@link ImageLimits#defaults()} and fitted to the screen's shorter side, so a picture's header decides nothing about our
 * memory. A picture that is refused (too many pixels, damaged, no picture at all) shows why instead. Escape closes.
 */
final class PictureViewer extends JDialog {
    /** The longest edge decoded, whatever the screen: beyond it a picture is scaled down. */
    private static final int MAX_EDGE = 4096;
    /** How much of the screen's shorter side the picture takes at most, leaving the window's frame and button room. */
    private static final double SCREEN_SHARE = 0.8;

    private final JLabel picture = new JLabel(Texts.text("file.viewer.loading"), SwingConstants.CENTER);
    private BufferedImage shown;
    private String refusal;

    private PictureViewer(Window owner, String name) {
        super(owner, name, ModalityType.MODELESS);
        setName("pictureViewer");
        picture.setName("viewerPicture");
        JScrollPane scroll = new JScrollPane(picture);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        JButton close = new JButton(Texts.text("file.viewer.close"));
        close.setName("viewerClose");
        close.addActionListener(event -> dispose());
        JPanel buttons = new JPanel(new BorderLayout());
        buttons.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(8), UIScale.scale(8),
                UIScale.scale(8)));
        buttons.add(close, BorderLayout.EAST);
        getContentPane().add(scroll, BorderLayout.CENTER);
        getContentPane().add(buttons, BorderLayout.SOUTH);
        getRootPane().getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(KeyStroke.getKeyStroke("ESCAPE"), "close");
        getRootPane().getActionMap().put("close", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                dispose();
            }
        });
        getRootPane().setDefaultButton(close);
    }

    /** Opens a viewer over {@code over}'s window for the picture {@code stored} gives (read off the EDT). */
    static PictureViewer open(Component over, String name, Callable<Path> stored) {
        Window owner = SwingUtilities.getWindowAncestor(over);
        PictureViewer viewer = new PictureViewer(owner, name);
        int edge = Math.min(MAX_EDGE, screenEdge(owner));
        viewer.setSize(UIScale.scale(480), UIScale.scale(360));
        viewer.setLocationRelativeTo(owner);
        viewer.setVisible(true);
        UiTasks.run(() -> Images.decodeScaled(stored.call(), edge, ImageLimits.defaults()), viewer::showPicture,
                failure -> viewer.showRefusal(failure instanceof ImageRefusedException refused
                        ? refusal(refused.reason()) : failure.getMessage()));
        return viewer;
    }

    private static String refusal(ImageRefusedException.Reason reason) {
        return Texts.text(switch (reason) {
            case NOT_AN_IMAGE -> "file.refused.notAnImage";
            case TOO_LARGE_FILE -> "file.refused.tooLargeFile";
            case TOO_MANY_PIXELS -> "file.refused.tooManyPixels";
            case TOO_WIDE_OR_TALL -> "file.refused.tooWideOrTall";
            case DAMAGED -> "file.refused.damaged";
        });
    }

        private static int screenEdge(Window owner) {
        GraphicsConfiguration screen = owner == null ? null : owner.getGraphicsConfiguration();
        Rectangle bounds = screen == null ? new Rectangle(0, 0, 1600, 1000) : screen.getBounds();
        return Math.max(1, (int) (Math.min(bounds.width, bounds.height) * SCREEN_SHARE));
    }

    private void showPicture(BufferedImage decoded) {
        shown = decoded;
        picture.setText(null);
        picture.setIcon(new ImageIcon(decoded));
        Rectangle screen = getGraphicsConfiguration().getBounds();
        Dimension wanted = getContentPane().getPreferredSize();
        setSize(Math.min(wanted.width + UIScale.scale(40), screen.width * 9 / 10),
                Math.min(wanted.height + UIScale.scale(60), screen.height * 9 / 10));
        setLocationRelativeTo(getOwner());
    }

    private void showRefusal(String reason) {
        refusal = Texts.text("file.viewer.refused", reason);
        picture.setName("viewerRefused");
        picture.setText(refusal);
    }

    /** The picture shown, once decoded. */
    Optional<BufferedImage> picture() {
        return Optional.ofNullable(shown);
    }

    /** Why the picture is not shown, once refused. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }
}
