package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.RoomDelivery;
import dev.parley.app.ui.contacts.Avatars;
import dev.parley.app.ui.emoji.EmojiText;
import dev.parley.app.ui.i18n.Texts;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import javax.swing.JComponent;

/**
 * What a {@link MessageRow} shows beyond a 1:1 message when it is a line of a room: the sender's name above the
 * first of a group of theirs and their avatar beside it, how far one of ours reached ("delivered to 1 of 2"), or,
 * for a notice, one quiet centred line instead of a bubble: a room's membership notice, and a 1:1 conversation's
 * ("Secure session renewed"), which is dressed the same way.
 *
 * @param delivery for our messages, how far it reached in words; empty otherwise
 */
record RoomLine(PeerId sender, String senderName, boolean notice, String delivery) {
    static RoomLine ofNotice() {
        return new RoomLine(null, "", true, "");
    }

    static RoomLine from(PeerId sender, String senderName) {
        return new RoomLine(sender, senderName, false, "");
    }

    /** Ours: "sending" until it is stored, then how many of the other members hold it. */
    static RoomLine ours(PeerId me, String myName, RoomDelivery delivery) {
        return new RoomLine(me, myName, false, describe(delivery));
    }

    static RoomLine sending(PeerId me, String myName) {
        return new RoomLine(me, myName, false, Texts.text("room.view.sending"));
    }

    static String describe(RoomDelivery delivery) {
        if (delivery.members() == 0) {
            return Texts.text("room.view.sentToNoOne");
        }
        return Texts.text("room.view.deliveredTo", delivery.stored(), delivery.members());
    }

    static int avatarSize() {
        return UIScale.scale(28);
    }

    void paintAvatar(Graphics2D g, int x, int y) {
        Avatars.paint(g, sender, senderName, x, y, avatarSize());
    }

    /** The sender's name just above {@code bubble}, in a line {@code height} high. */
    void paintSender(JComponent row, Graphics2D g, Rectangle bubble, int height) {
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(Avatars.colour(sender));
        int top = bubble.y - height - UIScale.scale(2);
        EmojiText.draw(row, g, EmojiText.clip(senderName, metrics, Math.max(bubble.width, UIScale.scale(240))),
                bubble.x + UIScale.scale(4), top + metrics.getAscent());
    }

    /** The notice's sentence centred in {@code line}. */
    void paintNotice(JComponent row, Graphics2D g, String text, Rectangle line, Color muted) {
        g.setFont(g.getFont().deriveFont(Font.ITALIC));
        FontMetrics metrics = g.getFontMetrics();
        String shown = EmojiText.clip(text, metrics, line.width);
        g.setColor(muted);
        EmojiText.draw(row, g, shown, line.x + (line.width - EmojiText.width(shown, metrics)) / 2,
                line.y + metrics.getAscent());
    }
}
