package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Contacts;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ConnectionInfo;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.SafetyNumber;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.Dialog;
import java.awt.GridLayout;
import java.awt.Window;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSeparator;
import javax.swing.JTextArea;
import javax.swing.JTextField;

/**
 * What the user knows about a peer: name, PeerId, state and presence, how the connection to them runs and how
 * fast, and the safety number to compare with them, as digits and as a QR code. Also where to block or unblock
 * them. Not modal, so the user can keep chatting while comparing numbers on a call; follows presence changes.
 */
public final class ContactInfoDialog {
    private static final int AVATAR = 56;
    private static final int QR_MODULE_PIXELS = 4;
    private static final int SAFETY_ROWS = 3;
    private static final String SAFETY_FONT = "font: +5 $monospaced.font";

    private final Engine engine;
    private final PeerId peer;
    private final JDialog dialog;
    private final JLabel avatar = new JLabel();
    private final JLabel name = Widgets.label("", "contactName", "h2");
    private final JLabel status = Widgets.secondary("", "contactStatus");
    private final JLabel connection = Widgets.label("", "connectionPath", "semibold");
    private final JLabel remoteAddress = Widgets.secondary(" ", "connectionAddress");
    private final JButton refresh;
    private final JTextArea safetyExplanation = Widgets.explanation("", "safetyExplanation");
    private final MessageArea problem = new MessageArea("contactInfoProblem");
    private final JButton blockOrUnblock;
    private final JButton close;
    private ContactInfo contact;
    private Consumer<EngineEvent> subscriber;

    /** What is read before the dialog opens, so that it opens at its final size. */
    private record Known(Optional<ContactInfo> contact, Optional<SafetyNumber> safetyNumber,
                         Optional<String> safetyProblem) {
        static Known read(Engine engine, PeerId peer) {
            Optional<ContactInfo> contact = engine.contacts().get(peer);
            try {
                return new Known(contact, Optional.of(engine.contacts().safetyNumber(peer)), Optional.empty());
            } catch (EngineException e) {
                return new Known(contact, Optional.empty(), Optional.of(ContactTexts.problem(e)));
            }
        }
    }

    /** The connection now, and when the peer was last seen in case there is none. */
    private record Link(Optional<ConnectionInfo> connection, Optional<Instant> lastSeen) {
    }

    private ContactInfoDialog(Window owner, Engine engine, PeerId peer) {
        this.engine = engine;
        this.peer = peer;
        this.dialog = Dialogs.create(owner, text("contactInfo.title"), "contactInfoDialog",
                Dialog.ModalityType.MODELESS);
        refresh = Widgets.button(text("contactInfo.refresh"), "refreshConnection",
                text("contactInfo.refresh.description"),
                event -> measureConnection());
        blockOrUnblock = Widgets.button(text("contactInfo.block"), "blockContact", text("contactInfo.block"),
                event -> blockOrUnblock());
        blockOrUnblock.setEnabled(false);
        close = Widgets.button(text("dialog.close"), "closeContactInfo", text("dialog.close"),
                event -> dialog.dispose());
    }

    /**
     * Opens the dialog over {@code owner} once the peer's details are read (off the EDT) and returns at once; the
     * connection is measured after it opens.
     */
    public static void show(Window owner, Engine engine, PeerId peer) {
        UiTasks.run(() -> Known.read(engine, peer),
                known -> new ContactInfoDialog(owner, engine, peer).open(known),
                error -> new ContactInfoDialog(owner, engine, peer).open(
                        new Known(Optional.empty(), Optional.empty(), Optional.of(ContactTexts.problem(error)))));
    }

    private void open(Known known) {
        JPanel content = new JPanel(new BorderLayout()) {
            @Override
            public void addNotify() {
                super.addNotify();
                subscriber = UiTasks.subscribeOnEdt(engine, ContactInfoDialog.this::engineEvent);
            }

            @Override
            public void removeNotify() {
                engine.unsubscribe(subscriber);
                super.removeNotify();
            }
        };
        content.add(Widgets.column(14, 20,
                header(),
                new JSeparator(),
                peerIdSection(),
                new JSeparator(),
                connectionSection(),
                new JSeparator(),
                safetySection(known),
                problem,
                Dialogs.buttonRow(new JComponent[] {blockOrUnblock}, close)), BorderLayout.CENTER);
        known.contact().ifPresentOrElse(this::showContact, () -> {
            name.setText(ContactTexts.shortId(peer));
            avatar.setIcon(new Avatar("?", peer, AVATAR));
            problem.showText(text("contactInfo.unknownPeer", peer));
        });
        measureConnection();
        Dialogs.show(dialog, content, close, close);
    }

    private JComponent header() {
        JPanel header = new JPanel(new BorderLayout(UIScale.scale(14), 0));
        header.add(avatar, BorderLayout.LINE_START);
        header.add(Widgets.column(2, 0, name, status), BorderLayout.CENTER);
        return header;
    }

    private JComponent peerIdSection() {
        JTextField id = new JTextField(peer.toBase58());
        id.setName("peerId");
        id.getAccessibleContext().setAccessibleName(text("contactInfo.peerId"));
        id.setEditable(false);
        id.putClientProperty(FlatClientProperties.STYLE_CLASS, "monospaced");
        JPanel row = new JPanel(new BorderLayout(UIScale.scale(8), 0));
        row.add(id, BorderLayout.CENTER);
        row.add(new CopyButton("copyPeerId", text("contactInfo.copyPeerId"), peer::toBase58), BorderLayout.LINE_END);
        return Widgets.column(6, 0, Widgets.label(text("contactInfo.peerId"), "peerIdTitle", "h4"), row);
    }

    private JComponent connectionSection() {
        JPanel title = new JPanel(new BorderLayout());
        title.add(Widgets.label(text("contactInfo.connection"), "connectionTitle", "h4"), BorderLayout.LINE_START);
        title.add(refresh, BorderLayout.LINE_END);
        return Widgets.column(4, 0, title, connection, remoteAddress);
    }

    private JComponent safetySection(Known known) {
        JComponent numbers;
        if (known.safetyNumber().isPresent()) {
            SafetyNumber safetyNumber = known.safetyNumber().get();
            List<String> groups = safetyNumber.groups();
            JPanel grid = new JPanel(new GridLayout(SAFETY_ROWS, groups.size() / SAFETY_ROWS, UIScale.scale(16),
                    UIScale.scale(6)));
            grid.setName("safetyNumber");
            grid.getAccessibleContext()
                    .setAccessibleName(text("contactInfo.safetyNumber.digits", safetyNumber.digits()));
            for (int i = 0; i < groups.size(); i++) {
                JLabel group = new JLabel(groups.get(i));
                group.setName("safetyGroup" + i);
                group.putClientProperty(FlatClientProperties.STYLE, SAFETY_FONT);
                grid.add(group);
            }
            QrCodeImage qr = new QrCodeImage(safetyNumber.qrPayload(), QR_MODULE_PIXELS,
                    text("contactInfo.safetyNumber.qr"));
            qr.setName("safetyQr");
            numbers = new JPanel(new BorderLayout(UIScale.scale(24), 0));
            JPanel gridAtTop = new JPanel(new BorderLayout());
            gridAtTop.add(grid, BorderLayout.PAGE_START);
            gridAtTop.add(safetyExplanation, BorderLayout.CENTER);
            safetyExplanation.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(12), 0, 0, 0));
            numbers.add(gridAtTop, BorderLayout.CENTER);
            numbers.add(qr, BorderLayout.LINE_END);
        } else {
            MessageArea unavailable = new MessageArea("safetyProblem");
            unavailable.showText(known.safetyProblem().orElse(""));
            numbers = unavailable;
        }
        return Widgets.column(8, 0, Widgets.label(text("contactInfo.safetyNumber"), "safetyTitle", "h4"), numbers);
    }

    private void showContact(ContactInfo shown) {
        contact = shown;
        avatar.setIcon(new Avatar(shown.name(), peer, AVATAR));
        name.setText(shown.name());
        status.setText(text("contactInfo.status", ContactTexts.state(shown.status()),
                ContactTexts.presence(shown, Instant.now(), ZoneId.systemDefault())));
        safetyExplanation.setText(text("contactInfo.safetyNumber.explanation", shown.name()));
        boolean blocked = shown.status() == ContactStatus.BLOCKED;
        blockOrUnblock.setText(text(blocked ? "contactInfo.unblock" : "contactInfo.block"));
        blockOrUnblock.getAccessibleContext().setAccessibleName(blocked ? text("contactInfo.unblockName", shown.name())
                : text("contactInfo.blockName", shown.name()));
        blockOrUnblock.setEnabled(true);
    }

    private void engineEvent(EngineEvent event) {
        boolean aboutThisPeer = switch (event) {
            case EngineEvent.Presence presence -> presence.peer().equals(peer);
            case EngineEvent.ContactUpdated updated -> updated.contact().peer().equals(peer);
            default -> false;
        };
        if (aboutThisPeer) {
            UiTasks.run(() -> engine.contacts().get(peer), found -> found.ifPresent(this::showContact),
                    problem::showProblem);
            if (event instanceof EngineEvent.Presence) {
                measureConnection();
            }
        }
    }

    private void measureConnection() {
        refresh.setEnabled(false);
        connection.setText(text("contactInfo.measuring"));
        remoteAddress.setText(" ");
        Contacts contacts = engine.contacts();
        UiTasks.run(() -> new Link(contacts.connection(peer), contacts.get(peer).flatMap(ContactInfo::lastSeen)),
                link -> {
                    refresh.setEnabled(true);
                    link.connection().ifPresentOrElse(info -> {
                        connection.setText(ContactTexts.connection(info));
                        remoteAddress.setText(info.remoteAddress().toString());
                    }, () -> connection.setText(ContactTexts.notConnected(link.lastSeen(), Instant.now(),
                            ZoneId.systemDefault())));
                },
                error -> {
                    refresh.setEnabled(true);
                    connection.setText(text("contactInfo.notMeasured"));
                    problem.showProblem(error);
                });
    }

    /** Enabled once the contact is shown, so {@link #contact} is known. */
    private void blockOrUnblock() {
        boolean unblock = contact.status() == ContactStatus.BLOCKED;
        blockOrUnblock.setEnabled(false);
        problem.clear();
        Contacts contacts = engine.contacts();
        UiTasks.run(() -> unblock ? contacts.accept(peer) : contacts.block(peer), this::showContact, error -> {
            blockOrUnblock.setEnabled(true);
            problem.showProblem(error);
        });
    }
}
