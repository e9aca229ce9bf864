package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MailboxStatus;
import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.ui.contacts.ContactTexts;
import dev.parley.app.ui.i18n.EngineErrors;
import dev.parley.app.ui.tasks.UiTasks;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Window;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/**
 * Settings → Mailbox (app/README.md, "Mailbox"): with none, a field for the pairing code {@code parley mailbox}
 * prints and Pair; once paired, the mailbox's PeerId, whether it is connected, what waits there against its quota,
 * what it brought since Parley started, and Unpair (asked first). Pair and Unpair act at once, off the EDT with a
 * progress bar, not with the dialog's Save; the rest follows the engine's {@code MailboxChanged} events.
 */
final class MailboxSection extends JPanel {
    private static final String LOADING = "loading";
    private static final String NONE = "none";
    private static final String PAIRED = "paired";

    private final Engine engine;
    private final int textWidth;
    private final CardLayout cards = new CardLayout();
    private final JPanel states = new JPanel(cards);
    private final JTextField code = new JTextField(22);
    private final JButton pair = new JButton(text("settings.mailbox.pair"));
    private final JLabel mailbox = new JLabel();
    private final JLabel connection = new JLabel();
    private final JLabel holds = new JLabel();
    private final JLabel fetched = new JLabel();
    private final JButton unpair = new JButton(text("settings.mailbox.unpair"));
    private final JProgressBar progress = new JProgressBar();
    private final JLabel error = Forms.errorLine();
    /**
     * How many {@code MailboxChanged} events arrived. A status a task read (at opening, or what pairing returned)
     * is shown only if none arrived since the task began: an event says how things are at least as recently.
     */
    private long eventsSeen;
    private boolean statusAsked;

    /** @param textWidth the width explanations wrap at, as the dialog's others do */
    MailboxSection(Engine engine, int textWidth) {
        super(new BorderLayout(0, UIScale.scale(4)));
        this.engine = engine;
        this.textWidth = textWidth;
        setName("mailboxSection");
        setOpaque(false);
        code.setName("mailboxCode");
        code.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, text("settings.mailbox.code.placeholder"));
        // Its row's label names the line it shares with Pair, not the field.
        code.getAccessibleContext().setAccessibleName(text("settings.mailbox.code"));
        pair.setName("mailboxPair");
        unpair.setName("mailboxUnpair");
        mailbox.setName("mailboxId");
        connection.setName("mailboxConnection");
        holds.setName("mailboxHolds");
        fetched.setName("mailboxFetched");
        progress.setName("mailboxProgress");
        progress.setIndeterminate(true);
        progress.setVisible(false);
        error.setName("mailboxError");
        // Enter in the field pairs; without a listener of its own it would press the dialog's Save.
        code.addActionListener(event -> pair());
        pair.addActionListener(event -> pair());
        unpair.addActionListener(event -> unpair());

        JLabel title = new JLabel(text("settings.mailbox"));
        title.putClientProperty(FlatClientProperties.STYLE_CLASS, "h3");
        JPanel top = new JPanel();
        top.setOpaque(false);
        top.setLayout(new BoxLayout(top, BoxLayout.Y_AXIS));
        top.add(title);
        top.add(Forms.note(text("settings.mailbox.note"), textWidth));
        JLabel none = new JLabel(text("settings.mailbox.none"));
        none.setName("mailboxNone");
        JPanel codeLine = new JPanel(new BorderLayout(UIScale.scale(6), 0));
        codeLine.setOpaque(false);
        codeLine.add(code, BorderLayout.CENTER);
        codeLine.add(pair, BorderLayout.EAST);
        states.setOpaque(false);
        JPanel loading = new JPanel();
        loading.setOpaque(false);
        states.add(loading, LOADING);
        states.add(card(new Forms.Grid().full(none).row(text("settings.mailbox.code"), codeLine)), NONE);
        JPanel unpairLine = new JPanel(new BorderLayout());
        unpairLine.setOpaque(false);
        unpairLine.add(unpair, BorderLayout.WEST);
        states.add(card(new Forms.Grid()
                .row(text("settings.mailbox.pairedWith"), mailbox)
                .row(text("settings.mailbox.state"), connection)
                .row(text("settings.mailbox.holds"), holds)
                .row(text("settings.mailbox.fetched"), fetched)
                .full(unpairLine)), PAIRED);
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.setOpaque(false);
        bottom.add(progress, BorderLayout.NORTH);
        bottom.add(error, BorderLayout.SOUTH);
        add(top, BorderLayout.NORTH);
        add(states, BorderLayout.CENTER);
        add(bottom, BorderLayout.SOUTH);

        UiTasks.followWhileDisplayable(this, engine, this::onEvent);
        working(true);
    }

    /**
     * Asks the engine how the mailbox is once the section follows its events (subscribed in {@code super}), so that
     * no change falls between the answer and the first event.
     */
    @Override
    public void addNotify() {
        super.addNotify();
        if (!statusAsked) {
            statusAsked = true;
            whenNoNewerEvent(() -> engine.mailbox().status(), failure -> {
                working(false);
                showError(Forms.sentence(EngineErrors.message(failure)));
            });
        }
    }

    /** A state's lines at the top of the space the tallest state takes, not centred in it. */
    private static JComponent card(Forms.Grid grid) {
        grid.setBorder(BorderFactory.createEmptyBorder());
        grid.setOpaque(false);
        JPanel top = new JPanel(new BorderLayout());
        top.setOpaque(false);
        top.add(grid, BorderLayout.NORTH);
        return top;
    }

    private void onEvent(EngineEvent event) {
        if (event instanceof EngineEvent.MailboxChanged changed) {
            eventsSeen++;
            show(changed.status());
        }
    }

    /** Shows {@code status}: the paired card with its lines, or the field to pair. */
    private void show(MailboxStatus status) {
        if (status.mailbox().isEmpty()) {
            cards.show(states, NONE);
            return;
        }
        mailbox.setText(ContactTexts.shortId(status.mailbox().get()));
        mailbox.setToolTipText(status.mailbox().get().toBase58());
        connection.setText(text(status.connected() ? "settings.mailbox.connected" : "settings.mailbox.notConnected"));
        holds.setText(status.usage().map(usage -> text("settings.mailbox.usage", usage.envelopes(),
                usage.maxEnvelopes(), usage.retentionDays())).orElse(text("settings.mailbox.usage.unknown")));
        fetched.setText(text("settings.mailbox.fetched.count", status.fetched()));
        cards.show(states, PAIRED);
    }

    private void pair() {
        String entered = code.getText().strip();
        try {
            // Read here too, so that a mistyped code is explained in the window's language.
            PairingCode.parse(entered);
        } catch (InvalidMailboxCodeException e) {
            showError(text("settings.mailbox.notACode"));
            return;
        }
        pair.setText(text("settings.mailbox.pairing"));
        working(true);
        whenNoNewerEvent(() -> engine.mailbox().pair(entered), failure -> {
            pair.setText(text("settings.mailbox.pair"));
            working(false);
            showError(Forms.sentence(EngineErrors.message(failure)));
        });
    }

    private void unpair() {
        if (!confirmUnpair()) {
            return;
        }
        unpair.setText(text("settings.mailbox.unpairing"));
        working(true);
        whenNoNewerEvent(() -> {
            engine.mailbox().unpair();
            return engine.mailbox().status();
        }, failure -> {
            unpair.setText(text("settings.mailbox.unpair"));
            working(false);
            showError(Forms.sentence(EngineErrors.message(failure)));
        });
    }

    /** Whether the user still wants to unpair once told what it costs; blocks (modally) until they answer. */
    private boolean confirmUnpair() {
        String confirm = text("settings.mailbox.unpair");
        String cancel = text("dialog.cancel");
        JOptionPane pane = new JOptionPane(text("settings.mailbox.unpair.question"), JOptionPane.WARNING_MESSAGE,
                JOptionPane.OK_CANCEL_OPTION, null, new Object[] {confirm, cancel}, cancel);
        JDialog dialog = pane.createDialog(this, text("settings.mailbox.unpair.title"));
        dialog.setName("confirmUnpair");
        dialog.setVisible(true);
        dialog.dispose();
        return confirm.equals(pane.getValue());
    }

    /**
     * Runs {@code read} off the EDT and shows the status it returns, unless a {@code MailboxChanged} event arrived
     * meanwhile; the section is idle again either way.
     */
    private void whenNoNewerEvent(Callable<MailboxStatus> read, Consumer<Throwable> failed) {
        long before = eventsSeen;
        UiTasks.run(read, status -> {
            if (eventsSeen == before) {
                show(status);
            }
            code.setText("");
            pair.setText(text("settings.mailbox.pair"));
            unpair.setText(text("settings.mailbox.unpair"));
            working(false);
        }, failed::accept);
    }

    /** While the engine is asked, the buttons wait and the bar moves. */
    private void working(boolean busy) {
        code.setEnabled(!busy);
        pair.setEnabled(!busy);
        unpair.setEnabled(!busy);
        progress.setVisible(busy);
        if (busy) {
            Forms.showError(error, "", textWidth);
        }
        refit();
    }

    private void showError(String message) {
        Forms.showError(error, message, textWidth);
        refit();
    }

    /** The dialog grows or shrinks to the lines shown now. */
    private void refit() {
        Window window = SwingUtilities.getWindowAncestor(this);
        if (window != null) {
            window.pack();
        }
    }
}
