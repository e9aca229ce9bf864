package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.ui.emoji.Emoji;
import dev.parley.app.ui.emoji.EmojiPicker;
import dev.parley.app.ui.emoji.EmojiText;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.app.ui.tasks.UiTasks;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.awt.RenderingHints;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFileChooser;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingConstants;
import javax.swing.TransferHandler;
import javax.swing.UIManager;
import javax.swing.text.DefaultEditorKit;
import javax.swing.text.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a message is written: Enter sends, Shift+Enter starts a new line, Tab and Shift+Tab move the focus on and
 * back (Shift+Tab to the newest message, {@link #onShiftTab}). When nothing can be sent it is disabled and says why; an error from sending shows above it, and the text
 * stays so nothing typed is lost. Near the longest message Parley keeps a count of the characters left shows;
 * beyond it Send is disabled and the line above says by how many characters the text is too long. The emoji button
 * opens a picker whose emoji goes in at the caret; the emoji picked last come first next time.
 *
 * <p>While the user replies to a message or edits one of theirs, a line above the box says so (the quote, or
 * "Editing your message") with a button, and Escape, to cancel. Up in the empty box asks to edit the user's last
 * message ({@link #onUpWhenEmpty}).
 */
final class Composer extends JPanel {
    private static final Logger log = LoggerFactory.getLogger(Composer.class);
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
                    EmojiText.draw(this, g, EmojiText.clip(placeholder, g.getFontMetrics(),
                            getWidth() - insets.left - insets.right), insets.left,
                            insets.top + g.getFontMetrics().getAscent());
                } finally {
                    g.dispose();
                }
            }
        }
    };
    private String placeholder;
    private final JScrollPane scroll;
    private final JButton send = new JButton(Texts.text("composer.send"));
    private final JButton emoji = new JButton();
    private final JButton attach = new JButton("📎");
    /** While a file is copied into the profile to be sent: what, and how far. */
    private final JPanel sending = new JPanel(new BorderLayout(UIScale.scale(8), 0));
    private final JLabel sendingText = new JLabel();
    private final JProgressBar sendingProgress = new JProgressBar(0, 1000);
    private Consumer<List<Path>> onFiles = files -> { };
    private Consumer<BufferedImage> onPicture = picture -> { };
    private final EmojiPicker picker;
    private final JLabel error = Forms.errorLine();
    private final JLabel counter = new JLabel();
    private final Consumer<String> onSend;
    private final UiSettings settings;
    private MessageLength length = MessageLength.of("");
    /** Above the box while replying or editing: what, and a button to cancel. */
    private final JPanel context = new JPanel(new BorderLayout(UIScale.scale(6), 0));
    private final JLabel contextText = new JLabel();
    private final JButton cancelContext = new JButton("✕");
    private Runnable onCancelContext = () -> { };
    private BooleanSupplier onUpWhenEmpty = () -> false;
    private BooleanSupplier onShiftTab = () -> false;

    /** @param settings where the emoji picked last are remembered (and saved at once, off the EDT) */
    Composer(Consumer<String> onSend, Runnable onTyping, UiSettings settings) {
        super(new BorderLayout(UIScale.scale(8), UIScale.scale(4)));
        this.onSend = onSend;
        this.settings = settings;
        input.setName("composer");
        send.setName("send");
        error.setName("composerError");
        counter.setName("composerCounter");
        counter.setHorizontalAlignment(SwingConstants.TRAILING);
        counter.setVisible(false);
        picker = new EmojiPicker(settings::recentEmoji, this::insertEmoji, input::requestFocusInWindow);
        emoji.setName("emoji");
        emoji.getAccessibleContext().setAccessibleName(Texts.text("composer.emoji"));
        emoji.setToolTipText(Texts.text("composer.emoji.tooltip"));
        Emoji.icon("🙂", UIScale.scale(20)).ifPresentOrElse(emoji::setIcon, () -> emoji.setText("☺"));
        emoji.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        emoji.addActionListener(event -> picker.toggle(emoji));
        attach.setName("attach");
        attach.getAccessibleContext().setAccessibleName(Texts.text("composer.attach"));
        attach.setToolTipText(Texts.text("composer.attach.tooltip"));
        attach.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        Emoji.icon("📎", UIScale.scale(20)).ifPresent(icon -> {
            attach.setText(null);
            attach.setIcon(icon);
        });
        attach.addActionListener(event -> chooseFiles());
        sendingText.setName("sendingFile");
        sendingProgress.setName("sendingProgress");
        sending.add(sendingText, BorderLayout.CENTER);
        sending.add(sendingProgress, BorderLayout.EAST);
        sending.setVisible(false);
        input.setTransferHandler(fileDrop(input.getTransferHandler()));
        input.setLineWrap(true);
        input.setWrapStyleWord(true);
        input.setRows(1);
        input.putClientProperty(FlatClientProperties.STYLE, "margin: 6,8,6,8");
        input.getAccessibleContext().setAccessibleName(Texts.text("composer.message"));
        // Tab and Shift+Tab move the focus on and back, as in a one-line field, instead of typing a tab.
        input.setFocusTraversalKeys(KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        // Shift+Tab goes up to the newest message when there is one ({@link #onShiftTab}), not to whatever control
        // happens to sit last in the timeline (a reaction, "Show more").
        input.setFocusTraversalKeys(KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, java.util.Set.of());
        input.getInputMap().put(KeyStroke.getKeyStroke("shift TAB"), "parley-back");
        input.getActionMap().put("parley-back", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                if (!onShiftTab.getAsBoolean()) {
                    input.transferFocusBackward();
                }
            }
        });
        input.getInputMap().put(KeyStroke.getKeyStroke("ENTER"), "parley-send");
        input.getInputMap().put(KeyStroke.getKeyStroke("shift ENTER"), "insert-break");
        input.getActionMap().put("parley-send", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                send();
            }
        });
        input.getInputMap().put(KeyStroke.getKeyStroke("UP"), "parley-up");
        input.getActionMap().put("parley-up", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                if (input.getDocument().getLength() > 0 || !onUpWhenEmpty.getAsBoolean()) {
                    input.getActionMap().get(DefaultEditorKit.upAction).actionPerformed(event);
                }
            }
        });
        input.getInputMap().put(KeyStroke.getKeyStroke("ESCAPE"), "parley-cancel-context");
        input.getActionMap().put("parley-cancel-context", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                if (context.isVisible()) {
                    onCancelContext.run();
                }
            }
        });
        contextText.setName("composerContext");
        cancelContext.setName("cancelContext");
        // Named again by each reply or edit it cancels; hidden until then, but never nameless.
        cancelContext.getAccessibleContext().setAccessibleName(Texts.text("composer.cancel"));
        cancelContext.putClientProperty(FlatClientProperties.BUTTON_TYPE,
                FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
        cancelContext.addActionListener(event -> onCancelContext.run());
        context.putClientProperty(FlatClientProperties.STYLE, "border: 2,8,2,2,$Component.accentColor,0,0");
        context.add(contextText, BorderLayout.CENTER);
        context.add(cancelContext, BorderLayout.EAST);
        context.setVisible(false);
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
        JPanel buttons = new JPanel(new BorderLayout(UIScale.scale(4), 0));
        JPanel tools = new JPanel(new BorderLayout(UIScale.scale(2), 0));
        // The emoji button stays first after the box, where Tab has always reached it.
        tools.add(emoji, BorderLayout.WEST);
        tools.add(attach, BorderLayout.EAST);
        buttons.add(tools, BorderLayout.WEST);
        buttons.add(send, BorderLayout.EAST);
        JPanel row = new JPanel(new BorderLayout(UIScale.scale(8), 0));
        row.add(scroll, BorderLayout.CENTER);
        row.add(buttons, BorderLayout.EAST);
        JPanel above = new JPanel(new BorderLayout(0, UIScale.scale(4)));
        above.add(error, BorderLayout.NORTH);
        above.add(sending, BorderLayout.CENTER);
        above.add(context, BorderLayout.SOUTH);
        add(above, BorderLayout.NORTH);
        add(row, BorderLayout.CENTER);
        add(counter, BorderLayout.SOUTH);
        error.setVisible(false);
        setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(16), UIScale.scale(12),
                UIScale.scale(16)));
        fitHeight();
    }

    /** Lets the user write and send, placing {@code placeholder} in the empty box. */
    void enableFor(String placeholder) {
        input.setEnabled(true);
        emoji.setEnabled(true);
        attach.setEnabled(true);
        setPlaceholder(placeholder);
        textChanged();
    }

    /** Nothing can be sent: the box is disabled and shows {@code reason}. */
    void disableBecause(String reason) {
        input.setEnabled(false);
        send.setEnabled(false);
        emoji.setEnabled(false);
        attach.setEnabled(false);
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
        int available = Math.max(UIScale.scale(200), getWidth() - getInsets().left - getInsets().right);
        Forms.showError(error, message, available);
        int wrapped = error.getPreferredSize().width;
        if (wrapped > available) {
            // The HTML view's pixels are not the screen's: narrow the wrap until the whole sentence is in sight.
            Forms.showError(error, message, available * available / wrapped);
        }
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

    /**
     * Shows above the box what the user is doing ({@code what}: the quote replied to, or that they edit), with a
     * cancel button named {@code cancelName} for screen readers; the button and Escape run {@code onCancel}.
     */
    void showContext(String what, String cancelName, Runnable onCancel) {
        contextText.setText(what);
        contextText.getAccessibleContext().setAccessibleName(what);
        cancelContext.getAccessibleContext().setAccessibleName(cancelName);
        cancelContext.setToolTipText(cancelName);
        onCancelContext = onCancel;
        context.setVisible(true);
        revalidate();
        repaint();
    }

    void clearContext() {
        if (context.isVisible()) {
            context.setVisible(false);
            onCancelContext = () -> { };
            revalidate();
            repaint();
        }
    }

    /** What the line above the box says while replying or editing; "" otherwise. */
    String contextText() {
        return context.isVisible() ? contextText.getText() : "";
    }

    /**
     * Files attached, dropped or pasted go to {@code files}, a picture pasted from the clipboard to {@code picture}
     * (while something can be sent).
     */
    void onFiles(Consumer<List<Path>> files, Consumer<BufferedImage> picture) {
        onFiles = files;
        onPicture = picture;
    }

    /**
     * A handler that takes files and pasted pictures for this composer's conversation, for the view to put on its
     * parts where files may be dropped; text goes to {@code before}, the part's own handler (null: none).
     */
    FileDrop fileDrop(TransferHandler before) {
        return new FileDrop(before, files -> {
            if (input.isEnabled()) {
                onFiles.accept(files);
            }
        }, picture -> {
            if (input.isEnabled()) {
                onPicture.accept(picture);
            }
        });
    }

    /** Says above the box that a file is being prepared, {@code permille} of it so far. */
    void showProgress(String what, int permille) {
        sendingText.setText(what);
        sendingProgress.setValue(permille);
        if (!sending.isVisible()) {
            sending.setVisible(true);
            revalidate();
        }
    }

    void hideProgress() {
        if (sending.isVisible()) {
            sending.setVisible(false);
            revalidate();
        }
    }

    /** What the line above the box says while a file is prepared; "" otherwise. */
    String progressText() {
        return sending.isVisible() ? sendingText.getText() : "";
    }

    private void chooseFiles() {
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle(Texts.text("composer.attach.title"));
        chooser.setMultiSelectionEnabled(true);
        if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
            onFiles.accept(Arrays.stream(chooser.getSelectedFiles()).map(File::toPath).toList());
        }
    }

    /** Up in the empty box runs {@code handler}, which says whether it did something (else the caret moves). */
    void onUpWhenEmpty(BooleanSupplier handler) {
        onUpWhenEmpty = handler;
    }

    /** Shift+Tab in the box runs {@code handler}, which says whether it took the focus (else it goes back as usual). */
    void onShiftTab(BooleanSupplier handler) {
        onShiftTab = handler;
    }

    /** Puts {@code text} in the box, e.g. a message to edit, the caret at its end. */
    void setText(String text) {
        input.setText(text);
        input.setCaretPosition(input.getDocument().getLength());
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

    /** The count of characters left (or too many) when the text is near the limit or beyond; else "". */
    String counterText() {
        return counter.isVisible() ? counter.getText() : "";
    }

    boolean pickerShowing() {
        return picker.isShowing();
    }

    private void send() {
        String text = input.getText();
        if (input.isEnabled() && !text.isBlank() && !length.tooLong()) {
            onSend.accept(text.strip());
        }
    }

    private void insertEmoji(String picked) {
        input.replaceSelection(picked);
        settings.pickedEmoji(picked);
        UiTasks.run(() -> {
            settings.save();
            return picked;
        }, saved -> { }, failure -> log.warn("the recent emoji could not be saved in {}: {}", settings.file(),
                failure.getMessage()));
    }

    private void textChanged() {
        length = MessageLength.of(input.getText());
        send.setEnabled(input.isEnabled() && !input.getText().isBlank() && !length.tooLong());
        input.setToolTipText(null);
        clearError();
        showLength();
        fitHeight();
    }

    /** The count near the limit, in the error colour beyond it, where Send then says why it is disabled. */
    private void showLength() {
        counter.setVisible(length.nearLimit());
        counter.setText(length.counter());
        counter.putClientProperty(FlatClientProperties.STYLE, length.tooLong() ? "foreground: $Actions.Red"
                : "foreground: $Label.disabledForeground");
        send.setToolTipText(length.tooLong() ? length.refusal() : null);
        if (length.tooLong()) {
            showError(length.refusal());
        }
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
