package dev.parley.app.ui.lists;

import com.formdev.flatlaf.util.UIScale;
import java.awt.BasicStroke;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Insets;
import java.awt.RenderingHints;
import java.awt.event.FocusEvent;
import java.awt.event.FocusListener;
import java.awt.geom.RoundRectangle2D;
import javax.swing.BorderFactory;
import javax.swing.JComponent;
import javax.swing.JScrollPane;
import javax.swing.UIManager;
import javax.swing.border.AbstractBorder;
import javax.swing.border.Border;

/**
 * Shows where the keyboard is in a list: a ring in the theme's focus colour around the list's scroll pane while the
 * list has the focus, and a thinner one around the line the keyboard is on ({@link #aroundLine}). Without them, a
 * list whose lines are painted by hand (the conversations) looks the same focused or not.
 */
public final class FocusRing extends AbstractBorder {
    private static final int WIDTH = 2;

    private final JComponent focused;

    private FocusRing(JComponent focused) {
        this.focused = focused;
    }

    /**
     * Puts the ring around {@code scroll}, drawn while {@code view} has the focus, inside {@code outer} (e.g. a
     * separator line; null for none). The ring's room is kept when it is not drawn, so nothing moves.
     */
    public static void around(JScrollPane scroll, JComponent view, Border outer) {
        Border ring = new FocusRing(view);
        scroll.setBorder(outer == null ? ring : BorderFactory.createCompoundBorder(outer, ring));
        view.addFocusListener(new FocusListener() {
            @Override
            public void focusGained(FocusEvent event) {
                scroll.repaint();
            }

            @Override
            public void focusLost(FocusEvent event) {
                scroll.repaint();
            }
        });
    }

    /** Paints the ring of the line the keyboard is on inside the renderer {@code cell}, when {@code cellHasFocus}. */
    public static void aroundLine(Graphics g, Component cell, boolean cellHasFocus) {
        if (cellHasFocus) {
            paintRing(g, 0, 0, cell.getWidth(), cell.getHeight(), Math.max(1, UIScale.scale(1)));
        }
    }

    @Override
    public void paintBorder(Component c, Graphics g, int x, int y, int w, int h) {
        if (focused.hasFocus()) {
            paintRing(g, x, y, w, h, UIScale.scale(WIDTH));
        }
    }

    private static void paintRing(Graphics graphics, int x, int y, int w, int h, int thickness) {
        Graphics2D g = (Graphics2D) graphics.create();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(UIManager.getColor("Component.focusColor"));
            g.setStroke(new BasicStroke(thickness));
            float inset = thickness / 2f;
            int arc = UIScale.scale(6);
            g.draw(new RoundRectangle2D.Float(x + inset, y + inset, w - thickness, h - thickness, arc, arc));
        } finally {
            g.dispose();
        }
    }

    @Override
    public Insets getBorderInsets(Component c, Insets insets) {
        int scaled = UIScale.scale(WIDTH);
        insets.set(scaled, scaled, scaled, scaled);
        return insets;
    }
}
