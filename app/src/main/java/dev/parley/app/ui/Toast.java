package dev.parley.app.ui;


import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.ui.i18n.Texts;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JLayeredPane;
import javax.swing.JPanel;
import javax.swing.Timer;
import javax.swing.UIManager;

/**
 * A short message at the lower right of the window that goes away by itself (or on a click): new messages when
 * the system has no notification area, and notices such as errors the engine reports.
 */
final class Toast extends JPanel {
    private static final int SHOWN_MILLIS = 6_000;

    private final JLabel title = new JLabel();
    private final JPanel bodyHolder = new JPanel(new BorderLayout());
    private MessageText body = new MessageText("");
    private final Timer hide = new Timer(SHOWN_MILLIS, event -> setVisible(false));
    private final MouseAdapter hideOnClick = new MouseAdapter() {
        @Override
        public void mouseClicked(MouseEvent event) {
            setVisible(false);
        }
    };

    private Toast() {
        super(new BorderLayout(0, UIScale.scale(2)));
        setName("toast");
        getAccessibleContext().setAccessibleName(Texts.text("toast.name"));
        setOpaque(false);
        title.putClientProperty(FlatClientProperties.STYLE, "font: bold");
        add(title, BorderLayout.NORTH);
        bodyHolder.setOpaque(false);
        add(bodyHolder, BorderLayout.CENTER);
        setBorder(BorderFactory.createEmptyBorder(UIScale.scale(10), UIScale.scale(14), UIScale.scale(10),
                UIScale.scale(14)));
        hide.setRepeats(false);
        addMouseListener(hideOnClick);
        setVisible(false);
    }

    /** The toast of {@code frame}, made on first use. */
    static Toast of(JFrame frame) {
        JLayeredPane layers = frame.getLayeredPane();
        for (Component c : layers.getComponentsInLayer(JLayeredPane.POPUP_LAYER)) {
            if (c instanceof Toast toast) {
                return toast;
            }
        }
        Toast toast = new Toast();
        layers.add(toast, JLayeredPane.POPUP_LAYER);
        return toast;
    }

    void show(String heading, String text) {
        title.setText(heading);
        getAccessibleContext().setAccessibleDescription(Texts.text("toast.description", heading, text));
        showBody(Forms.shorten(text, 300));
        JComponent layers = (JComponent) getParent();
        Dimension size = getPreferredSize();
        int margin = UIScale.scale(16);
        setBounds(layers.getWidth() - size.width - margin, layers.getHeight() - size.height - margin - UIScale.scale(70),
                size.width, size.height);
        setVisible(true);
        revalidate();
        repaint();
        hide.restart();
    }

    /** The body as message text, so its colour emoji and links show as in a bubble; it wraps at a fixed width. */
    private void showBody(String text) {
        bodyHolder.remove(body);
        body = new MessageText(text);
        body.setName("toastText");
        body.addMouseListener(hideOnClick);
        body.style(UIManager.getColor("Label.foreground"), UIManager.getColor("Component.linkColor"));
        int width = UIScale.scale(300);
        body.setSize(width, Short.MAX_VALUE);
        body.setPreferredSize(new Dimension(Math.min(width, body.getPreferredSize().width),
                body.getPreferredSize().height));
        bodyHolder.add(body, BorderLayout.CENTER);
    }

    String text() {
        return title.getText() + ": " + body.text();
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int arc = UIScale.scale(14);
            g.setColor(UIManager.getColor("Component.borderColor"));
            g.fillRoundRect(0, 0, getWidth(), getHeight(), arc, arc);
            g.setColor(UIManager.getColor("Popup.background") != null ? UIManager.getColor("Popup.background")
                    : UIManager.getColor("Panel.background"));
            g.fillRoundRect(1, 1, getWidth() - 2, getHeight() - 2, arc, arc);
        } finally {
            g.dispose();
        }
    }
}
