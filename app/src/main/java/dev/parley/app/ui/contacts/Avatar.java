package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.transport.multiformats.PeerId;
import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import javax.swing.Icon;

/** A peer's avatar as an icon for labels: the same initials and colour as in the conversation list ({@link Avatars}). */
final class Avatar implements Icon {
    private final String name;
    private final PeerId peer;
    private final int size;

    /** @param size the diameter at 100 % scale */
    Avatar(String name, PeerId peer, int size) {
        this.name = name;
        this.peer = peer;
        this.size = size;
    }

    @Override
    public void paintIcon(Component component, Graphics g, int x, int y) {
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            Avatars.paint(g2, peer, name, x, y, getIconWidth());
        } finally {
            g2.dispose();
        }
    }

    @Override
    public int getIconWidth() {
        return UIScale.scale(size);
    }

    @Override
    public int getIconHeight() {
        return UIScale.scale(size);
    }
}
