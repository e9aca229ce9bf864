package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.crypto.InviteCode;
import java.awt.BorderLayout;
import java.awt.Window;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.ScrollPaneConstants;

/**
 * "My invite": the user's invite code as text to copy and as a QR code, with what to do with it.
 */
public final class InviteDialog {
    /** Module size of the QR code: about 280 pixels for a code with one or two addresses. */
    private static final int QR_MODULE_PIXELS = 4;
    private static final int CODE_COLUMNS = 40;
    /** Enough for a code with a few addresses; longer codes scroll. */
    private static final int MAX_CODE_ROWS = 12;

    private InviteDialog() {
    }

    /** Shows the dialog over {@code owner} and returns when the user closes it. */
    public static void show(Window owner, Engine engine) {
        InviteCode inviteCode = engine.inviteCode();
        String invite = inviteCode.toText();
        JDialog dialog = Dialogs.create(owner, text("inviteDialog.title"), "inviteDialog");

        // In capitals (toQrText): QR codes hold those in their compact alphanumeric mode, and either case is the code.
        QrCodeImage qr = new QrCodeImage(inviteCode.toQrText(), QR_MODULE_PIXELS, text("inviteDialog.qr"));
        qr.setName("inviteQr");

        JTextArea code = Widgets.selectable(invite, "inviteCode", text("inviteDialog.code"));
        code.setRows(Math.min(MAX_CODE_ROWS, (invite.length() + CODE_COLUMNS - 1) / CODE_COLUMNS));
        code.setColumns(CODE_COLUMNS);
        JScrollPane codeScroll = new JScrollPane(code, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);

        CopyButton copy = new CopyButton("copyInvite", text("inviteDialog.copy"), () -> invite);
        JButton close = Widgets.button(text("dialog.close"), "closeInvite", text("dialog.close"),
                event -> dialog.dispose());

        JComponent text = Widgets.column(8, 0,
                Widgets.label(engine.card().displayName(), "inviteName", "h3"),
                Widgets.described(Widgets.secondary(ContactTexts.shortId(engine.peerId()), "inviteId"),
                        engine.peerId().toBase58()),
                Widgets.explanation(text("inviteDialog.explanation"), "inviteExplanation"),
                codeScroll);
        JPanel content = new JPanel(new BorderLayout(UIScale.scale(20), UIScale.scale(16)));
        content.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(20), UIScale.scale(20), UIScale.scale(16),
                UIScale.scale(20)));
        JPanel qrAtTop = new JPanel(new BorderLayout());
        qrAtTop.add(qr, BorderLayout.PAGE_START);
        content.add(qrAtTop, BorderLayout.LINE_START);
        content.add(text, BorderLayout.CENTER);
        content.add(Dialogs.buttonRow(new JComponent[0], close, copy), BorderLayout.PAGE_END);
        Dialogs.show(dialog, content, copy, copy);
    }
}
