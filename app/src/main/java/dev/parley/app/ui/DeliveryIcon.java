package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.ui.i18n.Texts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;

/**
 * What happened to a message we sent, drawn small beside its time: a clock while it waits to reach the peer, an
 * envelope while a 1:1 message waits in the peer's mailbox, a hand holding an envelope while contacts carry it for the
 * peer, one check once the peer stored it, two once they read it.
 */
final class DeliveryIcon {
    /** The mark a message of ours shows. */
    enum Mark {
        WAITING, IN_MAILBOX, WITH_CARRIER, DELIVERED, READ, NONE;

        /**
         * The mark for {@code state}. SENT means "in the peer's mailbox", or "with contacts who carry it" when it is
         * {@code carried}, for a 1:1 message, but "out to the members that could be reached" for a room's, which
         * waits on as far as its sender can tell.
         */
        static Mark of(MessageStatus state, boolean room, boolean carried) {
            return switch (state) {
                case SENDING -> WAITING;
                case SENT -> room ? WAITING : carried ? WITH_CARRIER : IN_MAILBOX;
                case DELIVERED -> DELIVERED;
                case READ -> READ;
                case RECEIVED -> NONE;
            };
        }
    }

    private DeliveryIcon() {
    }

    static int width() {
        return UIScale.scale(18);
    }

    /**
     * The state of a 1:1 message to {@code peerName} in words, for tooltips and screen readers; a SENT one is with
     * {@code carriers} (their names) when there are any, else in the peer's mailbox.
     */
    static String describe(MessageStatus state, String peerName, List<String> carriers) {
        return switch (state) {
            case SENDING -> Texts.text("conversation.status.sending");
            case SENT -> carriers.isEmpty() ? Texts.text("conversation.status.inMailbox", peerName)
                    : Texts.text("conversation.status.withCarriers", names(carriers), peerName);
            case DELIVERED -> Texts.text("conversation.status.delivered");
            case READ -> Texts.text("conversation.status.read");
            case RECEIVED -> Texts.text("conversation.status.received");
        };
    }

    /** People's names as a sentence lists them: "Carol", "Carol and Dan", "Carol, Dan and Eve". */
    static String names(List<String> names) {
        return switch (names.size()) {
            case 0 -> "";
            case 1 -> names.getFirst();
            default -> Texts.text("conversation.names", String.join(", ", names.subList(0, names.size() - 1)),
                    names.getLast());
        };
    }

    /** Paints {@code mark} in a box of {@link #width()} by {@code height} at (x, y). */
    static void paint(Graphics2D graphics, Mark mark, int x, int y, int height, Color colour) {
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.translate(x, y + (height - UIScale.scale(12)) / 2.0);
            g.scale(UIScale.getUserScaleFactor(), UIScale.getUserScaleFactor());
            g.setColor(colour);
            g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            switch (mark) {
                case WAITING -> {
                    g.drawOval(3, 1, 10, 10);
                    Path2D hands = new Path2D.Float();
                    hands.moveTo(8, 3.5);
                    hands.lineTo(8, 6);
                    hands.lineTo(10, 7.5);
                    g.draw(hands);
                }
                case IN_MAILBOX -> {
                    g.draw(new RoundRectangle2D.Float(2, 2, 12, 8.5f, 2, 2));
                    Path2D flap = new Path2D.Float();
                    flap.moveTo(2.5, 2.8);
                    flap.lineTo(8, 7);
                    flap.lineTo(13.5, 2.8);
                    g.draw(flap);
                }
                case WITH_CARRIER -> {
                    // A smaller envelope held up on an open palm: someone keeps it for the peer.
                    g.draw(new RoundRectangle2D.Float(4, 0.5f, 8, 5.5f, 1.5f, 1.5f));
                    Path2D flap = new Path2D.Float();
                    flap.moveTo(4.5, 1);
                    flap.lineTo(8, 3.6);
                    flap.lineTo(11.5, 1);
                    g.draw(flap);
                    Path2D palm = new Path2D.Float();
                    palm.moveTo(1, 7.5);
                    palm.quadTo(3, 11, 8, 11);
                    palm.quadTo(13, 11, 15, 7.5);
                    g.draw(palm);
                }
                case DELIVERED -> g.draw(check(3));
                case READ -> {
                    g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(check(0));
                    g.draw(check(5));
                }
                case NONE -> {
                    // Incoming messages carry no delivery mark.
                }
            }
        } finally {
            g.dispose();
        }
    }

    private static Path2D check(double dx) {
        Path2D check = new Path2D.Float();
        check.moveTo(dx + 1.5, 6.5);
        check.lineTo(dx + 4.5, 9.5);
        check.lineTo(dx + 11, 2.5);
        return check;
    }
}
