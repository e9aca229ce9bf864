package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import java.awt.Component;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.KeyboardFocusManager;
import java.awt.event.ActionListener;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextArea;

/**
 * The few component kinds the contact screens share. Colours come from the look and feel through FlatLaf styles,
 * which are resolved again when the user switches between light and dark.
 */
final class Widgets {
    private static final String SECONDARY = "foreground: $Label.disabledForeground";

    private Widgets() {
    }

    /** A button found by tests under {@code name} and read by screen readers as {@code accessibleName}. */
    static JButton button(String text, String name, String accessibleName, ActionListener action) {
        JButton button = new JButton(text);
        button.setName(name);
        button.getAccessibleContext().setAccessibleName(accessibleName);
        button.addActionListener(action);
        return button;
    }

    /** A label in a FlatLaf style class such as {@code h2}, {@code h4}, {@code semibold} or {@code small}. */
    static JLabel label(String text, String name, String styleClass) {
        JLabel label = new JLabel(text);
        label.setName(name);
        label.putClientProperty(FlatClientProperties.STYLE_CLASS, styleClass);
        return label;
    }

    /** Less important text, in the look and feel's dimmed colour. */
    static JLabel secondary(String text, String name) {
        JLabel label = new JLabel(text);
        label.setName(name);
        label.putClientProperty(FlatClientProperties.STYLE, SECONDARY);
        return label;
    }

    /** Explanatory text that wraps at word boundaries to the width the layout gives it. */
    static JTextArea explanation(String text, String name) {
        JTextArea area = new WrappingText();
        area.setText(text);
        area.setName(name);
        area.putClientProperty(FlatClientProperties.STYLE, SECONDARY);
        return area;
    }

    /** Text the user can select and copy but not change, e.g. an invite code or a PeerId, in a monospace font. */
    static JTextArea selectable(String text, String name, String accessibleName) {
        JTextArea area = new JTextArea(text);
        area.setName(name);
        area.getAccessibleContext().setAccessibleName(accessibleName);
        area.setEditable(false);
        area.setLineWrap(true);
        area.putClientProperty(FlatClientProperties.STYLE_CLASS, "monospaced");
        tabMovesFocus(area);
        return area;
    }

    /** Makes Tab and Shift+Tab move the focus on, as in a one-line field, instead of typing a tab. */
    static void tabMovesFocus(JTextArea area) {
        area.setFocusTraversalKeys(KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        area.setFocusTraversalKeys(KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
    }

    /**
     * The components one below the other, each as wide as the column, {@code gap} (unscaled pixels) apart; the
     * column gets {@code padding} (unscaled) around it.
     */
    static JPanel column(int gap, int padding, Component... parts) {
        JPanel column = new JPanel(new GridBagLayout());
        GridBagConstraints at = new GridBagConstraints();
        at.gridx = 0;
        at.weightx = 1;
        at.fill = GridBagConstraints.HORIZONTAL;
        at.anchor = GridBagConstraints.NORTHWEST;
        for (int i = 0; i < parts.length; i++) {
            at.gridy = i;
            at.insets = new Insets(i == 0 ? 0 : UIScale.scale(gap), 0, 0, 0);
            column.add(parts[i], at);
        }
        column.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(padding), UIScale.scale(padding),
                UIScale.scale(padding), UIScale.scale(padding)));
        return column;
    }

    /** The component with {@code text} as its tooltip and accessible description. */
    static <T extends JComponent> T described(T component, String text) {
        component.setToolTipText(text);
        component.getAccessibleContext().setAccessibleDescription(text);
        return component;
    }
}
