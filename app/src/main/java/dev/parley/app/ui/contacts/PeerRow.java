package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Graphics;
import java.awt.GridBagLayout;
import java.awt.GridLayout;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.UIManager;

/** One person in a list: avatar, lines of text about them, and what the user can do, with a line below. */
final class PeerRow extends JPanel {
    private static final int AVATAR = 36;
    private static final int GAP = 12;
    private static final int ACTION_GAP = 8;

    /**
     * @param lines   the text about the peer, top to bottom, the first its name
     * @param actions buttons or status labels on the right
     */
    PeerRow(String name, PeerId peer, String displayName, JComponent[] lines, JComponent... actions) {
        super(new BorderLayout(UIScale.scale(GAP), 0));
        setName(name);
        setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(GAP), UIScale.scale(8),
                UIScale.scale(GAP)));
        add(new JLabel(new Avatar(displayName, peer, AVATAR)), BorderLayout.LINE_START);
        JPanel text = new JPanel(new GridLayout(0, 1));
        text.setOpaque(false);
        for (JComponent line : lines) {
            text.add(line);
        }
        add(text, BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING, 0, 0));
        buttons.setOpaque(false);
        for (int i = 0; i < actions.length; i++) {
            if (i > 0) {
                buttons.add(Box.createHorizontalStrut(UIScale.scale(ACTION_GAP)));
            }
            buttons.add(actions[i]);
        }
        // Centres the buttons vertically beside text of any height.
        JPanel centred = new JPanel(new GridBagLayout());
        centred.setOpaque(false);
        centred.add(buttons);
        add(centred, BorderLayout.LINE_END);
    }

    @Override
    protected void paintComponent(Graphics g) {
        super.paintComponent(g);
        // Looked up at paint time so that the line follows a switch between light and dark.
        g.setColor(UIManager.getColor("Separator.foreground"));
        g.fillRect(0, getHeight() - 1, getWidth(), 1);
    }
}
