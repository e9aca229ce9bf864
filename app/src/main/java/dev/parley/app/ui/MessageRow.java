package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.util.ColorFunctions;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.FileAttachment;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.engine.api.Quote;
import dev.parley.app.engine.api.Reaction;
import dev.parley.app.ui.actions.QuoteButton;
import dev.parley.app.ui.actions.ReactionChips;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.event.ActionEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.accessibility.AccessibleContext;
import javax.accessibility.AccessibleRole;
import javax.swing.AbstractAction;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.KeyStroke;
import javax.swing.UIManager;

/**
 * One message of the timeline: its bubble (ours on the right in the accent colour, theirs on the left), the time
 * and, on ours, the delivery mark; above it, when it starts a day, the day's name, and when it is the first unread,
 * the "New messages" line. Messages of one sender within a few minutes sit closer together.
 *
 * <p>Beyond its text a message may show what it replies to (a {@link QuoteButton} in the bubble, which goes to the
 * original), "Forwarded" above the bubble (a copy sent on from another conversation), "edited" in its footer (which
 * shows the earlier versions), its reactions as chips under the bubble, or, deleted for everyone, "This message was
 * deleted" in italics instead of its text, and the file it offers ({@link FileCard}: a picture's thumbnail or a file's
 * card, with its transfer and buttons) above its caption. A button beside the bubble, shown while the pointer is over the row, opens
 * the message's actions, as do a right-click and, on the focused message, the context-menu key and Shift+F10 ({@link
 * Actions}: the same in a 1:1 conversation and a room). On the focused message Up and Down move the focus to the
 * message above or below, Home and End to the first and last loaded, and Escape back to the composer.
 *
 * <p>Heights depend on the width (text wraps), so the timeline asks {@link #heightFor} and each row caches its
 * answer for the last width.
 */
final class MessageRow extends JComponent {
    /** Messages of one sender closer together than this form a group. */
    static final Duration GROUP_GAP = Duration.ofMinutes(5);

    /** What the row's controls do; the conversation view (1:1 or room) supplies it through the timeline. */
    interface Actions {
        /** Opens the message's action menu at {@code x, y} of {@code at}. */
        void openMenu(MessageRow row, Component at, int x, int y);

        /** Goes to the message {@code row}'s reply quotes. */
        void openQuote(MessageRow row);

        /** Shows the versions of an edited message. */
        void showVersions(MessageRow row);

        /** A reaction chip was clicked: takes ours back ({@code mine}) or adds ours. */
        void toggleReaction(MessageRow row, String emoji, boolean mine);

        /** Escape on a focused message: the focus goes back to where the user writes. */
        void backToComposer();

        /** The user's own PeerId, to tell their reactions from others'. */
        PeerId me();

        /** A person's name as the conversation shows it ("You" for the user). */
        String nameOf(PeerId peer);

        /** A button (or the thumbnail) of the file the message offers was clicked. */
        void fileCommand(MessageRow row, FileCard.Command command);
    }

    /** Rows made before the view gave its actions (or in tests) do nothing. */
    static final Actions NO_ACTIONS = new Actions() {
        @Override
        public void openMenu(MessageRow row, Component at, int x, int y) {
        }

        @Override
        public void openQuote(MessageRow row) {
        }

        @Override
        public void showVersions(MessageRow row) {
        }

        @Override
        public void toggleReaction(MessageRow row, String emoji, boolean mine) {
        }

        @Override
        public void backToComposer() {
        }

        @Override
        public PeerId me() {
            return null;
        }

        @Override
        public String nameOf(PeerId peer) {
            return "";
        }

        @Override
        public void fileCommand(MessageRow row, FileCard.Command command) {
        }
    };

    private final TimeLabels labels;
    private MessageText text;
    /*
     * The controls beyond the text are made when a message first needs them (null until then): a conversation opens
     * with dozens of rows, most with no quote, edit, reaction or "Show more", and each FlatLaf button costs a UI
     * installed and a style parsed; made for every row, they took half of a row's making when a conversation opened.
     */
    /** "Show more" under a long message's start, "Show less" under its whole text. */
    private JButton more;
    private QuoteButton quote;
    private JButton edited;
    private ReactionChips chips;
    /** "Forwarded" above the bubble of a copy sent on from another conversation. */
    private JLabel forwarded;
    /** The file the message offers, above its caption. */
    private FileCard fileCard;
    /** The height the "Forwarded" line takes above the bubble, 0 without it; the sender's name goes above it. */
    private int forwardedSpace;
    /** Shown while the pointer is over the row; made when it first is. */
    private JButton hoverActions;
    /** Enters and leaves with the pointer, over the row or its hover button. */
    private final MouseAdapter hover = new MouseAdapter() {
        @Override
        public void mouseEntered(MouseEvent event) {
            setHovered(true);
        }

        @Override
        public void mouseExited(MouseEvent event) {
            setHovered(getMousePosition(true) != null);
        }
    };

    private Actions actions = NO_ACTIONS;
    private boolean hovered;
    /** A message of ours shown before it is stored: it has no id yet that actions could name. */
    private boolean provisional;
    private ChatMessage message;
    private String dayHeading;
    private boolean unreadDivider;
    private boolean startsGroup = true;
    private boolean highlighted;
    private int measuredWidth = -1;
    private int measuredHeight;
    private final Rectangle bubble = new Rectangle();
    private boolean footerBesideText;
    /** Why this message of ours waits, for its tooltip while it does; null when nothing holds it up. */
    private String waitingReason;
    /** The names of the contacts who carry this 1:1 message of ours for the peer; empty when none does. */
    private List<String> carriers = List.of();
    /** In a room: who wrote the message and how far ours reached, or that the line is a notice; null in 1:1. */
    private RoomLine roomLine;

    MessageRow(ChatMessage message, TimeLabels labels) {
        this.message = message;
        this.labels = labels;
        this.text = newText();
        add(text);
        addMouseListener(hover);
        addMouseListener(popupTrigger());
        String openMenu = "parley-message-actions";
        for (String key : List.of("shift F10", "CONTEXT_MENU")) {
            getInputMap(WHEN_ANCESTOR_OF_FOCUSED_COMPONENT).put(KeyStroke.getKeyStroke(key), openMenu);
        }
        getActionMap().put(openMenu, new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                openMenuFromKeyboard();
            }
        });
        applyDetails();
        showMoreIfCollapsible();
        updateDescription();
    }

    private void showMoreIfCollapsible() {
        if (more == null && text.collapsible()) {
            more = new JButton(Texts.text("conversation.showMore"));
            more.setName("showMore");
            more.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
            more.putClientProperty(FlatClientProperties.STYLE, "margin: 2,0,2,0");
            more.addActionListener(event -> toggleExpanded());
            add(more);
        }
        if (more != null) {
            more.setVisible(text.collapsible());
        }
    }

    private boolean showsEdited() {
        return edited != null && edited.isVisible();
    }

    private boolean showsMore() {
        return more != null && more.isVisible();
    }

    /** The message's text, or for one deleted for everyone the sentence that says so. */
    private MessageText newText() {
        MessageText made = new MessageText(deleted() ? Texts.text("conversation.deleted") : message.text());
        made.setName(deleted() ? "deletedText" : "messageText");
        if (deleted()) {
            made.setFont(made.getFont().deriveFont(Font.ITALIC));
        }
        made.addMouseListener(popupTrigger());
        MouseAdapter hover = new MouseAdapter() {
            @Override
            public void mouseEntered(MouseEvent event) {
                setHovered(true);
            }
        };
        made.addMouseListener(hover);
        // The keyboard moves by message, as the pointer does: Up and Down go to the one above or below (a
        // multi-line text's caret is not shown, so moving it line by line would show nothing), Escape goes back to
        // the composer. Home and End go to the first and last loaded message, as in a list.
        bindKey(made, "UP", "parley-previous-message", () -> focusNeighbour(-1));
        bindKey(made, "DOWN", "parley-next-message", () -> focusNeighbour(1));
        bindKey(made, "HOME", "parley-first-message", this::focusFirst);
        bindKey(made, "END", "parley-last-message", this::focusLast);
        bindKey(made, "ESCAPE", "parley-back-to-composer", () -> actions.backToComposer());
        made.addFocusListener(new java.awt.event.FocusAdapter() {
            @Override
            public void focusGained(java.awt.event.FocusEvent event) {
                scrollRectToVisible(new Rectangle(0, 0, getWidth(), getHeight()));
                repaint();
            }

            @Override
            public void focusLost(java.awt.event.FocusEvent event) {
                repaint();
            }
        });
        return made;
    }

    private static void bindKey(MessageText text, String key, String name, Runnable action) {
        text.getInputMap(WHEN_FOCUSED).put(KeyStroke.getKeyStroke(key), name);
        text.getActionMap().put(name, new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                action.run();
            }
        });
    }

    private void focusNeighbour(int step) {
        if (getParent() instanceof Timeline timeline) {
            timeline.focusBeside(this, step);
        }
    }

    private void focusFirst() {
        if (getParent() instanceof Timeline timeline) {
            timeline.focusOldest();
        }
    }

    private void focusLast() {
        if (getParent() instanceof Timeline timeline) {
            timeline.focusNewest();
        }
    }

    /** Puts the keyboard focus on the message's text; false for a notice, which takes none. */
    boolean focusText() {
        return text.isVisible() && text.requestFocusInWindow();
    }

    private MouseAdapter popupTrigger() {
        return new MouseAdapter() {
            @Override
            public void mousePressed(MouseEvent event) {
                maybeOpen(event);
            }

            @Override
            public void mouseReleased(MouseEvent event) {
                maybeOpen(event);
            }

            private void maybeOpen(MouseEvent event) {
                if (event.isPopupTrigger() && (roomLine == null || !roomLine.notice())) {
                    event.consume();
                    actions.openMenu(MessageRow.this, event.getComponent(), event.getX(), event.getY());
                }
            }
        };
    }

    private void openMenuFromKeyboard() {
        if (roomLine == null || !roomLine.notice()) {
            Rectangle at = bubbleBounds();
            actions.openMenu(this, this, at.x + UIScale.scale(8), at.y + at.height);
        }
    }

    private void setHovered(boolean on) {
        if (on != hovered) {
            hovered = on;
            boolean shown = on && (roomLine == null || !roomLine.notice());
            if (shown || hoverActions != null) {
                hoverButton().setVisible(shown);
            }
            repaint();
        }
    }

    void setProvisional(boolean on) {
        provisional = on;
    }

    boolean provisional() {
        return provisional;
    }

    boolean hovered() {
        return hovered;
    }

    /** The button the pointer opens the actions with, made when first asked for (hidden until hovered). */
    JButton hoverButton() {
        if (hoverActions == null) {
            hoverActions = new JButton("⋯");
            hoverActions.setName("hoverActions");
            hoverActions.putClientProperty(FlatClientProperties.BUTTON_TYPE,
                    FlatClientProperties.BUTTON_TYPE_TOOLBAR_BUTTON);
            hoverActions.putClientProperty(FlatClientProperties.STYLE, "margin: 0,0,0,0; font: +2 bold");
            hoverActions.getAccessibleContext().setAccessibleName(Texts.text("actions.menu"));
            hoverActions.setToolTipText(Texts.text("actions.menu.tooltip"));
            // The keyboard opens the menu with Shift+F10 on the message itself: the button is for the pointer.
            hoverActions.setFocusable(false);
            hoverActions.setVisible(false);
            hoverActions.addActionListener(event -> actions.openMenu(this, hoverActions, 0,
                    hoverActions.getHeight()));
            hoverActions.addMouseListener(hover);
            add(hoverActions);
            measuredWidth = -1;
            revalidate();
        }
        return hoverActions;
    }

    void setActions(Actions given) {
        actions = given;
        applyDetails();
        // The delivery state of a 1:1 message may name the peer, which the actions know.
        updateDescription();
    }

    MessageDetails details() {
        return message.details();
    }

    boolean deleted() {
        return message.details().deleted();
    }

    /** The reply's quote, made when first asked for (hidden unless the message replies to one). */
    QuoteButton quote() {
        if (quote == null) {
            quote = new QuoteButton();
            quote.addActionListener(event -> actions.openQuote(this));
            add(quote);
        }
        return quote;
    }

    JButton editedMark() {
        if (edited == null) {
            edited = new JButton(Texts.text("conversation.edited"));
            edited.setName("editedMark");
            edited.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_BORDERLESS);
            edited.putClientProperty(FlatClientProperties.STYLE, "margin: 0,0,0,0; minimumWidth: 0; font: -2 italic");
            edited.setHorizontalAlignment(javax.swing.SwingConstants.LEADING);
            edited.getAccessibleContext().setAccessibleName(Texts.text("conversation.edited.name"));
            edited.setToolTipText(Texts.text("conversation.edited.tooltip"));
            edited.addActionListener(event -> actions.showVersions(this));
            edited.setVisible(false);
            add(edited);
        }
        return edited;
    }

    /** "Forwarded" above the bubble, made when first asked for. */
    JLabel forwardedMark() {
        if (forwarded == null) {
            forwarded = new JLabel(Texts.text("conversation.forwarded"));
            forwarded.setName("forwardedMark");
            forwarded.putClientProperty(FlatClientProperties.STYLE, "font: -2 italic");
            forwarded.setForeground(UIManager.getColor("Label.disabledForeground"));
            forwarded.setVisible(false);
            add(forwarded);
        }
        return forwarded;
    }

    /** The file the message offers; empty when it offers none (or was deleted for everyone). */
    Optional<FileCard> fileCard() {
        return Optional.ofNullable(fileCard).filter(FileCard::isVisible);
    }

    /** The transfer of the message's file moved on. */
    void fileProgressed(FileTransfer transfer) {
        if (fileCard != null) {
            fileCard.showTransfer(transfer);
            measuredWidth = -1;
            revalidate();
            repaint();
        }
    }

    /** The reactions under the bubble, made when first asked for (hidden while there are none). */
    ReactionChips chips() {
        if (chips == null) {
            chips = new ReactionChips();
            chips.setVisible(false);
            add(chips);
        }
        return chips;
    }

    /** The message's text changed (edited, deleted for everyone) or its reply, reactions or marks did. */
    void changed(String newText, MessageDetails newDetails) {
        boolean textChanged = !newText.equals(message.text()) || newDetails.deleted() != deleted();
        message = new ChatMessage(message.id(), message.peer(), message.outgoing(), newText, message.hlc(),
                message.sentAt(), message.status(), newDetails, message.notice());
        if (textChanged) {
            boolean focused = text.isFocusOwner();
            remove(text);
            text = newText();
            add(text, 0);
            showMoreIfCollapsible();
            if (focused) {
                text.requestFocusInWindow();
            }
        }
        applyDetails();
        updateDescription();
        measuredWidth = -1;
        revalidate();
        repaint();
    }

    /** The quote of the message this one replies to now reads {@code quoted} (its original was edited or deleted). */
    void quotedChanged(String quoted) {
        message.details().replyTo().ifPresent(reply -> changed(message.text(), new MessageDetails(
                java.util.Optional.of(new dev.parley.app.engine.api.Quote(reply.message(),
                        java.util.Optional.of(quoted).filter(q -> !q.isEmpty()))),
                details().forwarded(), details().edited(), details().deleted(), details().hidden(),
                details().reactions(), details().file())));
    }

    private void applyDetails() {
        MessageDetails details = message.details();
        if (details.replyTo().isPresent() && !details.deleted()) {
            Quote reply = details.replyTo().get();
            quote().show(actions.nameOf(reply.message().sender()), reply.text().orElse(""),
                    message.outgoing() ? Color.WHITE : UIManager.getColor("Label.foreground"),
                    message.outgoing() ? new Color(255, 255, 255, 180) : UIManager.getColor("Component.accentColor"));
        } else if (quote != null) {
            quote.setVisible(false);
        }
        boolean showsEdited = details.edited() && !details.deleted();
        if (showsEdited || edited != null) {
            editedMark().setVisible(showsEdited);
        }
        boolean showsForwarded = details.forwarded() && !details.deleted();
        if (showsForwarded || forwarded != null) {
            forwardedMark().setVisible(showsForwarded);
        }
        Optional<FileAttachment> file = details.deleted() ? Optional.empty() : details.file();
        if (file.isPresent() && fileCard == null) {
            fileCard = new FileCard(file.get(), command -> actions.fileCommand(this, command));
            add(fileCard);
        } else if (file.isPresent()) {
            fileCard.show(file.get());
        }
        if (fileCard != null) {
            fileCard.setVisible(file.isPresent());
        }
        Map<String, List<PeerId>> byEmoji = new LinkedHashMap<>();
        for (Reaction reaction : details.reactions()) {
            byEmoji.computeIfAbsent(reaction.emoji(), emoji -> new ArrayList<>()).add(reaction.reactor());
        }
        List<ReactionChips.Chip> shown = details.deleted() ? List.of() : byEmoji.entrySet().stream()
                .map(entry -> new ReactionChips.Chip(entry.getKey(),
                        entry.getValue().stream().map(actions::nameOf).toList(),
                        entry.getValue().contains(actions.me()))).toList();
        if (!shown.isEmpty() || chips != null) {
            chips().show(shown, (emoji, mine) -> actions.toggleReaction(this, emoji, mine));
        }
    }

    private void toggleExpanded() {
        text.setExpanded(!text.expanded());
        more.setText(Texts.text(text.expanded() ? "conversation.showLess" : "conversation.showMore"));
        measuredWidth = -1;
        revalidate();
        repaint();
    }


    ChatMessage message() {
        return message;
    }

    MessageText textPane() {
        return text;
    }

    /** The same message under its stored id and state (a message being sent gets its id once queued). */
    void setMessage(ChatMessage updated) {
        message = updated;
        updateDescription();
        repaint();
    }

    /** Shows the message as a line of a room (see {@link RoomLine}). */
    void setRoomLine(RoomLine line) {
        roomLine = line;
        text.setVisible(!line.notice());
        measuredWidth = -1;
        updateDescription();
        revalidate();
        repaint();
    }

    RoomLine roomLine() {
        return roomLine;
    }

    /** The mark beside the time of a message of ours. */
    DeliveryIcon.Mark deliveryMark() {
        return message.outgoing() ? DeliveryIcon.Mark.of(message.status(), roomLine != null, !carriers.isEmpty())
                : DeliveryIcon.Mark.NONE;
    }

    /** Who carries this message of ours for the peer, by name (empty: nobody; a SENT one is in the mailbox then). */
    void setCarriers(List<String> names) {
        if (!names.equals(carriers)) {
            carriers = List.copyOf(names);
            updateDescription();
            repaint();
        }
    }

    List<String> carriers() {
        return carriers;
    }

    /** Moves the delivery state forward; a late or repeated report of an earlier state changes nothing. */
    void advance(MessageStatus state) {
        if (state.ordinal() > message.status().ordinal()) {
            setMessage(message.withStatus(state));
        }
    }

    /**
     * Places the row among its neighbours: a day heading when the previous message was on another day (or there is
     * none), closer spacing within a sender's group, the unread line when this is the first unread message.
     */
    void setContext(ChatMessage previous, boolean firstUnread) {
        String heading = previous == null || !labels.day(previous.sentAt()).equals(labels.day(message.sentAt()))
                ? labels.dayHeading(labels.day(message.sentAt())) : null;
        boolean group = previous == null || heading != null || previous.outgoing() != message.outgoing()
                || !previous.peer().equals(message.peer())
                || Duration.between(previous.sentAt(), message.sentAt()).compareTo(GROUP_GAP) > 0;
        if (!Objects.equals(heading, dayHeading) || group != startsGroup || firstUnread != unreadDivider) {
            dayHeading = heading;
            startsGroup = group;
            unreadDivider = firstUnread;
            measuredWidth = -1;
            revalidate();
        }
    }

    String dayHeading() {
        return dayHeading;
    }

    boolean showsUnreadDivider() {
        return unreadDivider;
    }

    void setHighlighted(boolean on) {
        highlighted = on;
        repaint();
    }

    boolean highlighted() {
        return highlighted;
    }

    /** The bubble's bounds within this row (for scrolling to a message). */
    Rectangle bubbleBounds() {
        heightFor(getWidth());
        return new Rectangle(bubble);
    }

    /** Says in the tooltip why this message waits (for a pending one of ours), or nothing with null. */
    void setWaitingReason(String reason) {
        if (!Objects.equals(reason, waitingReason)) {
            waitingReason = reason;
            updateDescription();
        }
    }

    /** What the tooltip says: the full time and, for ours, the delivery state (and why it waits). */
    String description() {
        return text.getToolTipText();
    }

    private void updateDescription() {
        String when = labels.full(message.sentAt());
        if (roomLine != null && roomLine.notice()) {
            text.setToolTipText(when);
            name(message.text());
            return;
        }
        if (roomLine != null) {
            text.setToolTipText(message.outgoing() ? when + " · " + roomLine.delivery() : when);
            name(message.outgoing() ? Texts.text("conversation.yourMessage")
                    : Texts.text("room.view.messageFrom", roomLine.senderName()));
            return;
        }
        // One in the peer's mailbox or with carriers waits for the peer alone, not for both to be online: no reason to add.
        boolean waiting = waitingReason != null && message.status() == MessageStatus.SENDING;
        text.setToolTipText(message.outgoing() ? when + " · "
                + DeliveryIcon.describe(message.status(), actions.nameOf(message.peer()), carriers)
                + (waiting ? ". " + waitingReason : "") : when);
        name(message.outgoing() ? Texts.text("conversation.yourMessage") : Texts.text("conversation.messageReceived"));
    }

    /** A bare {@link JComponent} has no accessible context: the row's is a panel's, named by {@link #name}. */
    @Override
    public AccessibleContext getAccessibleContext() {
        if (accessibleContext == null) {
            accessibleContext = new AccessibleJComponent() {
                @Override
                public AccessibleRole getAccessibleRole() {
                    return AccessibleRole.PANEL;
                }
            };
        }
        return accessibleContext;
    }

    /** The row answers the pointer (hover, right-click), so it carries the same name as the text it holds. */
    private void name(String name) {
        text.getAccessibleContext().setAccessibleName(name);
        getAccessibleContext().setAccessibleName(name);
    }

    @Override
    public void updateUI() {
        super.updateUI();
        measuredWidth = -1;
    }

    /** The row's height at {@code width}, laying the bubble out for it. */
    int heightFor(int width) {
        if (width == measuredWidth) {
            return measuredHeight;
        }
        if (roomLine != null && roomLine.notice()) {
            return measureNotice(width);
        }
        styleText();
        int side = UIScale.scale(16);
        int avatarSpace = showsAvatar() ? RoomLine.avatarSize() + UIScale.scale(8) : 0;
        int padX = UIScale.scale(12);
        int padY = UIScale.scale(7);
        int y = startsGroup ? UIScale.scale(8) : UIScale.scale(2);
        if (dayHeading != null) {
            y += headingHeight();
        }
        if (unreadDivider) {
            y += headingHeight();
        }
        if (namesSender()) {
            y += footerHeight() + UIScale.scale(2);
        }
        boolean showsForwarded = forwarded != null && forwarded.isVisible();
        forwardedSpace = showsForwarded ? forwarded.getPreferredSize().height + UIScale.scale(2) : 0;
        y += forwardedSpace;
        int hoverSpace = UIScale.scale(30);
        int maxInner = Math.max(UIScale.scale(60), Math.min(width * 3 / 4, UIScale.scale(620)) - 2 * padX
                - avatarSpace - hoverSpace);
        int footer = footerWidth();
        int natural = text.getPreferredSize().width;
        boolean showsQuote = quote != null && quote.isVisible();
        int quoteWidth = showsQuote ? Math.min(quote.getPreferredSize().width, maxInner) : 0;
        int quoteHeight = showsQuote ? quote.getPreferredSize().height + UIScale.scale(4) : 0;
        boolean showsFile = fileCard().isPresent();
        int fileWidth = showsFile ? Math.min(fileCard.naturalWidth(), maxInner) : 0;
        int fileHeight = showsFile ? fileCard.getPreferredSize().height + UIScale.scale(4) : 0;
        // Below the quote, the file: the quote's height counts it, as both stand above the caption.
        quoteHeight += fileHeight;
        int gap = UIScale.scale(10);
        footerBesideText = natural + gap + footer <= maxInner && !message.text().contains("\n") && !showsMore();
        int inner = footerBesideText ? natural + gap + footer : Math.max(Math.min(natural, maxInner), footer);
        inner = Math.max(inner, Math.max(quoteWidth, fileWidth));
        int textWidth = footerBesideText ? natural : inner;
        text.setSize(textWidth, Short.MAX_VALUE);
        int textHeight = text.getPreferredSize().height;
        int footerHeight = footerHeight();
        int moreHeight = showsMore() ? more.getPreferredSize().height : 0;
        int innerHeight = quoteHeight + (footerBesideText ? Math.max(textHeight, footerHeight)
                : textHeight + moreHeight + footerHeight);
        int bubbleWidth = inner + 2 * padX;
        int x = message.outgoing() ? width - side - bubbleWidth : side + avatarSpace;
        bubble.setBounds(x, y, bubbleWidth, innerHeight + 2 * padY);
        if (showsQuote) {
            quote.setBounds(x + padX, y + padY, inner, quoteHeight - fileHeight - UIScale.scale(4));
        }
        if (showsFile) {
            fileCard.setBounds(x + padX, y + padY + quoteHeight - fileHeight, inner, fileHeight - UIScale.scale(4));
            fileCard.validate();
        }
        text.setBounds(x + padX, y + padY + quoteHeight, textWidth, textHeight);
        if (showsMore()) {
            more.setBounds(x + padX, y + padY + quoteHeight + textHeight, Math.min(textWidth,
                    more.getPreferredSize().width), moreHeight);
        }
        if (showsForwarded) {
            int forwardedWidth = forwarded.getPreferredSize().width;
            int inset = UIScale.scale(4);
            int forwardedX = message.outgoing() ? bubble.x + bubble.width - forwardedWidth - inset : bubble.x + inset;
            forwarded.setBounds(forwardedX, bubble.y - forwardedSpace, forwardedWidth,
                    forwardedSpace - UIScale.scale(2));
        }
        if (showsEdited()) {
            int editedWidth = edited.getPreferredSize().width;
            edited.setBounds(bubble.x + bubble.width - padX - footerWidth() + UIScale.scale(7),
                    bubble.y + bubble.height - padY - footerHeight, editedWidth, footerHeight);
        }
        int hoverSize = UIScale.scale(26);
        if (hoverActions != null) {
            hoverActions.setBounds(message.outgoing() ? bubble.x - hoverSize - UIScale.scale(4)
                            : bubble.x + bubble.width + UIScale.scale(4),
                    bubble.y + (bubble.height - hoverSize) / 2, hoverSize, hoverSize);
        }
        int bottom = y + bubble.height;
        if (chips != null && chips.isVisible()) {
            java.awt.Dimension size = chips.getPreferredSize();
            int chipsX = message.outgoing() ? bubble.x + bubble.width - size.width : bubble.x;
            chips.setBounds(Math.max(0, chipsX), bottom + UIScale.scale(3), size.width, size.height);
            bottom += size.height + UIScale.scale(3);
        }
        measuredWidth = width;
        measuredHeight = bottom + UIScale.scale(2);
        return measuredHeight;
    }

    @Override
    public void doLayout() {
        heightFor(getWidth());
    }

    private void styleText() {
        if (fileCard != null) {
            fileCard.style(message.outgoing());
        }
        if (forwarded != null) {
            forwarded.setForeground(UIManager.getColor("Label.disabledForeground"));
        }
        if (deleted()) {
            text.style(message.outgoing() ? new Color(255, 255, 255, 210)
                    : UIManager.getColor("Label.disabledForeground"), Color.WHITE);
        } else if (message.outgoing()) {
            text.style(Color.WHITE, Color.WHITE);
            if (more != null) {
                more.setForeground(Color.WHITE);
            }
            if (edited != null) {
                edited.setForeground(new Color(255, 255, 255, 200));
            }
        } else {
            if (edited != null) {
                edited.setForeground(UIManager.getColor("Label.disabledForeground"));
            }
            text.style(UIManager.getColor("Label.foreground"), UIManager.getColor("Component.linkColor"));
            if (more != null) {
                more.setForeground(UIManager.getColor("Component.linkColor"));
            }
        }
    }

    private Font smallFont() {
        Font font = UIManager.getFont("defaultFont");
        return font.deriveFont(font.getSize2D() - 2f);
    }

    private int footerWidth() {
        int time = getFontMetrics(smallFont()).stringWidth(labels.messageTime(message.sentAt()));
        int editedWidth = showsEdited() ? edited.getPreferredSize().width + UIScale.scale(12) : 0;
        return editedWidth + (message.outgoing() ? time + UIScale.scale(3) + DeliveryIcon.width() : time);
    }

    private int footerHeight() {
        return getFontMetrics(smallFont()).getHeight();
    }

    private int headingHeight() {
        return getFontMetrics(smallFont()).getHeight() + UIScale.scale(22);
    }

    @Override
    protected void paintComponent(Graphics graphics) {
        heightFor(getWidth());
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Color foreground = UIManager.getColor("Label.foreground");
            Color muted = UIManager.getColor("Label.disabledForeground");
            int y = startsGroup ? UIScale.scale(8) : UIScale.scale(2);
            g.setFont(smallFont().deriveFont(Font.BOLD));
            if (dayHeading != null) {
                paintDayHeading(g, y, foreground, muted);
                y += headingHeight();
            }
            if (unreadDivider) {
                paintUnreadDivider(g, y);
            }
            if (roomLine != null && roomLine.notice()) {
                roomLine.paintNotice(this, g, message.text(), bubble, muted);
                return;
            }
            if (namesSender()) {
                g.setFont(smallFont().deriveFont(Font.BOLD));
                roomLine.paintSender(this, g, new Rectangle(bubble.x, bubble.y - forwardedSpace, bubble.width,
                        bubble.height), footerHeight());
            }
            if (showsAvatar() && startsGroup) {
                roomLine.paintAvatar(g, UIScale.scale(16), bubble.y);
            }
            if (highlighted) {
                Color selection = UIManager.getColor("Component.accentColor");
                g.setColor(new Color(selection.getRed(), selection.getGreen(), selection.getBlue(), 48));
                g.fillRect(0, bubble.y - UIScale.scale(3), getWidth(), bubble.height + UIScale.scale(6));
            }
            int arc = UIScale.scale(16);
            g.setColor(bubbleColour());
            g.fillRoundRect(bubble.x, bubble.y, bubble.width, bubble.height, arc, arc);
            if (text.isFocusOwner()) {
                // The focused message's ring: which message Shift+F10 opens the actions of.
                g.setColor(UIManager.getColor("Component.focusColor"));
                g.setStroke(new java.awt.BasicStroke(UIScale.scale(2f)));
                g.drawRoundRect(bubble.x - UIScale.scale(2), bubble.y - UIScale.scale(2),
                        bubble.width + UIScale.scale(4), bubble.height + UIScale.scale(4), arc, arc);
            }
            paintFooter(g, muted);
        } finally {
            g.dispose();
        }
    }

    /** A room's member's message names its sender above the first of a group. */
    private boolean namesSender() {
        return roomLine != null && !roomLine.notice() && !message.outgoing() && startsGroup;
    }

    /** A room's members' messages leave room on the left for their avatars, shown by the first of a group. */
    private boolean showsAvatar() {
        return roomLine != null && !roomLine.notice() && !message.outgoing();
    }

    /** A notice takes one centred, quiet line below any heading. */
    private int measureNotice(int width) {
        int y = startsGroup ? UIScale.scale(8) : UIScale.scale(2);
        if (dayHeading != null) {
            y += headingHeight();
        }
        if (unreadDivider) {
            y += headingHeight();
        }
        bubble.setBounds(UIScale.scale(16), y, Math.max(0, width - UIScale.scale(32)), footerHeight());
        measuredWidth = width;
        measuredHeight = y + bubble.height + UIScale.scale(6);
        return measuredHeight;
    }

    private Color bubbleColour() {
        if (message.outgoing()) {
            return UIManager.getColor("Component.accentColor");
        }
        Color background = UIManager.getColor("List.background");
        return FlatLaf.isLafDark() ? ColorFunctions.lighten(background, 0.06f) : background;
    }

    private void paintDayHeading(Graphics2D g, int y, Color foreground, Color muted) {
        FontMetrics metrics = g.getFontMetrics();
        int width = metrics.stringWidth(dayHeading) + UIScale.scale(20);
        int height = metrics.getHeight() + UIScale.scale(6);
        int x = (getWidth() - width) / 2;
        int top = y + UIScale.scale(8);
        g.setColor(new Color(foreground.getRed(), foreground.getGreen(), foreground.getBlue(), 22));
        g.fillRoundRect(x, top, width, height, height, height);
        g.setColor(muted);
        g.drawString(dayHeading, x + UIScale.scale(10), top + UIScale.scale(3) + metrics.getAscent());
    }

    private void paintUnreadDivider(Graphics2D g, int y) {
        FontMetrics metrics = g.getFontMetrics();
        String label = Texts.text("conversation.newMessages");
        int labelWidth = metrics.stringWidth(label);
        int middle = y + headingHeight() / 2;
        Color accent = UIManager.getColor("Component.accentColor");
        g.setColor(accent);
        int x = (getWidth() - labelWidth) / 2;
        int side = UIScale.scale(16);
        g.fillRect(side, middle, x - UIScale.scale(10) - side, UIScale.scale(1));
        g.fillRect(x + labelWidth + UIScale.scale(10), middle, getWidth() - side - x - labelWidth - UIScale.scale(10),
                UIScale.scale(1));
        g.drawString(label, x, middle - metrics.getHeight() / 2 + metrics.getAscent());
    }

    private void paintFooter(Graphics2D g, Color muted) {
        g.setFont(smallFont());
        FontMetrics metrics = g.getFontMetrics();
        Color colour = message.outgoing() ? new Color(255, 255, 255, 200) : muted;
        int padX = UIScale.scale(12);
        int padY = UIScale.scale(7);
        int right = bubble.x + bubble.width - padX;
        int bottom = bubble.y + bubble.height - padY;
        int top = bottom - metrics.getHeight();
        if (message.outgoing()) {
            right -= DeliveryIcon.width();
            DeliveryIcon.paint(g, deliveryMark(), right + UIScale.scale(3), top, metrics.getHeight(),
                    message.status() == MessageStatus.READ ? Color.WHITE : colour);
            right -= UIScale.scale(3);
        }
        String time = labels.messageTime(message.sentAt());
        g.setColor(colour);
        g.drawString(time, right - metrics.stringWidth(time), top + metrics.getAscent());
    }
}
