package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.awt.RenderingHints;
import java.awt.event.ActionEvent;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.ScrollPaneConstants;
import javax.swing.UIManager;
import javax.swing.text.View;

/**
 * Where a message is written: Enter sends, Shift+Enter starts a new line, Tab and Shift+Tab move the focus on and
 * back. When nothing can be sent it is disabled and says why; an error from sending shows above it, and the text
 * stays so nothing typed is lost.
 */
final class Composer extends JPanel {
    private static final int MAX_VISIBLE_LINES = 6;

    private final JTextArea input = new JTextArea(1, 20) {
        /** FlatLaf draws placeholders in text fields only; the composer is a text area, so it draws its own. */
        @Override
        protected void paintComponent(Graphics graphics) {
            super.paintComponent(graphics);
            if (getDocument().getLength() == 0 && placeholder != null) {
                Graphics2D g = (Graphics2D) graphics.create();
                try {
                    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g.setColor(UIManager.getColor("TextField.placeholderForeground"));
                    g.setFont(getFont());
                    Insets insets = getInsets();
                    g.drawString(Text.clip(placeholder, g.getFontMetrics(), getWidth() - insets.left - insets.right),
                            insets.left, insets.top + g.getFontMetrics().getAscent());
                } finally {
                    g.dispose();
                }
            }
        }
    };
    private String placeholder;
    private final JScrollPane scroll;
    private final JButton send = new JButton("Send");
    private final JLabel error = Forms.errorLine();
    private final Consumer<String> onSend;

    Composer(Consumer<String> onSend, Runnable onTyping) {
        super(new BorderLayout(UIScale.scale(8), UIScale.scale(4)));
        this.onSend = onSend;
        input.setName("composer");
        send.setName("send");
        error.setName("composerError");
        input.setLineWrap(true);
        input.setWrapStyleWord(true);
        input.setRows(1);
        input.putClientProperty(FlatClientProperties.STYLE, "margin: 6,8,6,8");
        input.getAccessibleContext().setAccessibleName("Message");
        // Tab and Shift+Tab move the focus on and back, as in a one-line field, instead of typing a tab.
        input.setFocusTraversalKeys(KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        input.setFocusTraversalKeys(KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        input.getInputMap().put(KeyStroke.getKeyStroke("ENTER"), "parley-send");
        input.getInputMap().put(KeyStroke.getKeyStroke("shift ENTER"), "insert-break");
        input.getActionMap().put("parley-send", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                send();
            }
        });
        Forms.onTextChange(input, () -> {
            if (input.getDocument().getLength() > 0) {
                onTyping.run();
            }
            textChanged();
        });
        scroll = new JScrollPane(input, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        send.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_ROUND_RECT);
        send.addActionListener(event -> send());
        send.setEnabled(false);
        JPanel row = new JPanel(new BorderLayout(UIScale.scale(8), 0));
        row.add(scroll, BorderLayout.CENTER);
        row.add(send, BorderLayout.EAST);
        add(error, BorderLayout.NORTH);
        add(row, BorderLayout.CENTER);
        error.setVisible(false);
        setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(16), UIScale.scale(12),
                UIScale.scale(16)));
        fitHeight();
    }

    /** Lets the user write and send, placing {@code placeholder} in the empty box. */
    void enableFor(String placeholder) {
        input.setEnabled(true);
        setPlaceholder(placeholder);
        textChanged();
    }

    /** Nothing can be sent: the box is disabled and shows {@code reason}. */
    void disableBecause(String reason) {
        input.setEnabled(false);
        send.setEnabled(false);
        setPlaceholder(reason);
        input.setToolTipText(reason);
    }

    String reason() {
        return input.isEnabled() ? "" : placeholder;
    }

    private void setPlaceholder(String text) {
        placeholder = text;
        input.getAccessibleContext().setAccessibleDescription(text);
        input.repaint();
    }

    void showError(String message) {
        Forms.showError(error, message, Math.max(UIScale.scale(200), getWidth() - UIScale.scale(40)));
        error.setVisible(true);
        revalidate();
    }

    void clearError() {
        if (error.isVisible()) {
            error.setVisible(false);
            revalidate();
        }
    }

    void clear() {
        input.setText("");
    }

    /** Puts back text whose sending failed, unless the user already wrote something new. */
    void restore(String text) {
        if (input.getText().isBlank()) {
            input.setText(text);
        }
    }

    /** Names the box and the Send button, for a composer other than the 1:1 conversation's. */
    void nameParts(String inputName, String sendName) {
        input.setName(inputName);
        send.setName(sendName);
    }

    /** Puts the focus in the box; false when it cannot take it (nothing can be sent). */
    boolean focusInput() {
        return input.isEnabled() && input.requestFocusInWindow();
    }

    private void send() {
        String text = input.getText();
        if (input.isEnabled() && !text.isBlank()) {
            onSend.accept(text.strip());
        }
    }

    private void textChanged() {
        send.setEnabled(input.isEnabled() && !input.getText().isBlank());
        input.setToolTipText(null);
        clearError();
        fitHeight();
    }

    /** Grows the box with its text up to a few lines, then scrolls. */
    private void fitHeight() {
        int lineHeight = input.getFontMetrics(input.getFont()).getHeight();
        int lines = Math.max(1, Math.min(MAX_VISIBLE_LINES, lineCount()));
        int height = lines * lineHeight + UIScale.scale(14);
        Dimension size = new Dimension(scroll.getPreferredSize().width, height);
        if (!size.equals(scroll.getPreferredSize())) {
            scroll.setPreferredSize(size);
            revalidate();
        }
    }

    /** Lines the text takes at the box's width, wrapped lines counted. */
    private int lineCount() {
        float height = input.getUI().getRootView(input).getPreferredSpan(View.Y_AXIS);
        return Math.max(input.getLineCount(), Math.round(height / input.getFontMetrics(input.getFont()).getHeight()));
    }
}
