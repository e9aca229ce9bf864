package dev.parley.app.ui;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.ui.i18n.Texts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;

/**
 * What happened to a message we sent, drawn small beside its time: a clock while it waits to reach the peer, one
 * check once the peer stored it, two once they read it.
 */
final class DeliveryIcon {
    private DeliveryIcon() {
    }

    static int width() {
        return UIScale.scale(18);
    }

    /** The state in words, for tooltips and screen readers. */
    static String describe(MessageStatus state) {
        return switch (state) {
            case SENDING, SENT -> Texts.text("conversation.status.sending");
            case DELIVERED -> Texts.text("conversation.status.delivered");
            case READ -> Texts.text("conversation.status.read");
            case RECEIVED -> Texts.text("conversation.status.received");
        };
    }

    /** Paints the icon for {@code state} in a box of {@link #width()} by {@code height} at (x, y). */
    static void paint(Graphics2D graphics, MessageStatus state, int x, int y, int height, Color colour) {
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.translate(x, y + (height - UIScale.scale(12)) / 2.0);
            g.scale(UIScale.getUserScaleFactor(), UIScale.getUserScaleFactor());
            g.setColor(colour);
            g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            switch (state) {
                case SENDING, SENT -> {
                    g.drawOval(3, 1, 10, 10);
                    Path2D hands = new Path2D.Float();
                    hands.moveTo(8, 3.5);
                    hands.lineTo(8, 6);
                    hands.lineTo(10, 7.5);
                    g.draw(hands);
                }
                case DELIVERED -> g.draw(check(3));
                case READ -> {
                    g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.draw(check(0));
                    g.draw(check(5));
                }
                case RECEIVED -> {
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
