package dev.parley.app.ui.emoji;

import com.formdev.flatlaf.ui.FlatLabelUI;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import javax.swing.Icon;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.SwingConstants;
import javax.swing.UIManager;
import javax.swing.plaf.ComponentUI;
import javax.swing.plaf.basic.BasicHTML;

/**
 * FlatLaf's label, drawing colour emoji: installed for every label ({@link #installForAllLabels}), so a contact's or
 * a room's name, a notice and a list line rendered by a label show "Café ☕ 📚 club" whole. Text without emoji, and
 * HTML, are drawn by FlatLaf as before.
 */
public final class EmojiLabelUI extends FlatLabelUI {
    private EmojiLabelUI() {
        super(false);
    }

    /** Called by Swing for each label, through the UI defaults. */
    public static ComponentUI createUI(JComponent label) {
        return new EmojiLabelUI();
    }

    /** Makes every label created or updated from now on draw colour emoji; survives a change of theme. */
    public static void installForAllLabels() {
        UIManager.put("LabelUI", EmojiLabelUI.class.getName());
    }

    @Override
    protected String layoutCL(JLabel label, FontMetrics metrics, String text, Icon icon, Rectangle viewR,
                              Rectangle iconR, Rectangle textR) {
        String laidOut = super.layoutCL(label, metrics, text, icon, viewR, iconR, textR);
        if (text == null || label.getClientProperty(BasicHTML.propertyKey) != null || Emoji.find(text).isEmpty()) {
            return laidOut;
        }
        int gap = icon == null ? 0 : iconR.width + label.getIconTextGap();
        String clipped = EmojiText.clip(text, metrics, viewR.width - gap);
        int width = EmojiText.width(clipped, metrics);
        // FlatLaf placed the text for its own width; a centred or right-aligned line moves by the difference.
        textR.x += switch (label.getHorizontalAlignment()) {
            case SwingConstants.CENTER -> (textR.width - width) / 2;
            case SwingConstants.RIGHT -> textR.width - width;
            case SwingConstants.TRAILING -> label.getComponentOrientation().isLeftToRight() ? textR.width - width : 0;
            case SwingConstants.LEADING -> label.getComponentOrientation().isLeftToRight() ? 0 : textR.width - width;
            default -> 0;
        };
        textR.width = width;
        return clipped;
    }

    @Override
    protected void paintEnabledText(JLabel label, Graphics g, String text, int textX, int textY) {
        if (Emoji.find(text).isEmpty()) {
            super.paintEnabledText(label, g, text, textX, textY);
        } else {
            g.setColor(label.getForeground());
            EmojiText.draw(label, (Graphics2D) g, text, textX, textY);
        }
    }

    @Override
    protected void paintDisabledText(JLabel label, Graphics g, String text, int textX, int textY) {
        if (Emoji.find(text).isEmpty()) {
            super.paintDisabledText(label, g, text, textX, textY);
        } else {
            g.setColor(disabledForeground != null ? disabledForeground : UIManager.getColor("Label.disabledForeground"));
            EmojiText.draw(label, (Graphics2D) g, text, textX, textY);
        }
    }
}
