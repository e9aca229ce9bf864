package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.icons.FlatSearchIcon;
import com.formdev.flatlaf.util.UIScale;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.event.ActionEvent;
import java.awt.event.ContainerAdapter;
import java.awt.event.ContainerEvent;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.SwingConstants;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;
import javax.swing.text.JTextComponent;

/** Small building blocks the dialogs share: a form of labelled rows, a title, an error line, a button row. */
final class Forms {
    private Forms() {
    }

    /** A panel of rows, one column of labels and one of fields, with room around it. */
    static final class Grid extends JPanel {
        private int row;

        Grid() {
            super(new GridBagLayout());
            setBorder(BorderFactory.createEmptyBorder(UIScale.scale(16), UIScale.scale(20), UIScale.scale(8),
                    UIScale.scale(20)));
        }

        /** A component across both columns. */
        Grid full(Component component) {
            add(component, constraints(0, 2));
            row++;
            return this;
        }

        Grid row(String label, JComponent field) {
            JLabel text = new JLabel(label);
            text.setLabelFor(field);
            GridBagConstraints left = constraints(0, 1);
            left.weightx = 0;
            left.insets.right = UIScale.scale(12);
            add(text, left);
            add(field, constraints(1, 1));
            row++;
            return this;
        }

        private GridBagConstraints constraints(int column, int width) {
            GridBagConstraints c = new GridBagConstraints();
            c.gridx = column;
            c.gridy = row;
            c.gridwidth = width;
            c.weightx = 1;
            c.fill = GridBagConstraints.HORIZONTAL;
            c.anchor = GridBagConstraints.WEST;
            c.insets = new Insets(UIScale.scale(4), 0, UIScale.scale(4), 0);
            return c;
        }
    }

    static JLabel title(String text) {
        JLabel title = new JLabel(text);
        title.putClientProperty(FlatClientProperties.STYLE_CLASS, "h2");
        return title;
    }

    /** Wrapped explanatory text, muted. */
    static JLabel note(String text, int widthPixels) {
        JLabel note = new JLabel("<html><div style='width:" + widthPixels + "px'>" + escape(text) + "</div></html>");
        note.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        return note;
    }

    /** An empty line that shows errors in the theme's red, wrapped. */
    static JLabel errorLine() {
        JLabel error = new JLabel(" ");
        error.setName("error");
        error.putClientProperty(FlatClientProperties.STYLE, "foreground: $Actions.Red");
        return error;
    }

    static void showError(JLabel line, String message, int widthPixels) {
        showWrapped(line, message, widthPixels);
    }

    /** Shows {@code message} on {@code line}, wrapped; an empty message keeps the line's height. */
    static void showWrapped(JLabel line, String message, int widthPixels) {
        line.setText(message.isBlank() ? " " : "<html><div style='width:" + widthPixels + "px'>" + escape(message)
                + "</div></html>");
    }

    /** A file's name in {@code field} with the button that opens a file chooser beside it. */
    static JPanel fileLine(JTextField field, JButton choose) {
        JPanel line = new JPanel(new BorderLayout(6, 0));
        line.setOpaque(false);
        line.add(field, BorderLayout.CENTER);
        line.add(choose, BorderLayout.EAST);
        return line;
    }

    /** Buttons right-aligned, the last one the dialog's default. */
    static JPanel buttons(JDialog dialog, JButton... buttons) {
        JPanel row = new JPanel(new FlowLayout(FlowLayout.RIGHT, UIScale.scale(8), UIScale.scale(12)));
        row.setBorder(BorderFactory.createEmptyBorder(0, UIScale.scale(12), 0, UIScale.scale(12)));
        for (JButton button : buttons) {
            row.add(button);
        }
        dialog.getRootPane().setDefaultButton(buttons[buttons.length - 1]);
        return row;
    }

    /**
     * Puts {@code form} and the button row into {@code dialog} (the last button the default), makes Escape close
     * it, and sizes and centres it over {@code relativeTo} (the screen if null).
     */
    static void layOut(JDialog dialog, JComponent form, Component relativeTo, JButton... buttons) {
        dialog.add(form, BorderLayout.CENTER);
        dialog.add(buttons(dialog, buttons), BorderLayout.SOUTH);
        closeOnEscape(dialog, dialog::dispose);
        dialog.pack();
        dialog.setResizable(false);
        dialog.setLocationRelativeTo(relativeTo);
    }

    /**
     * Makes {@code field} a search box: {@code placeholder} in it while empty, which is also its accessible name, a
     * magnifier, and a button that clears it, named for screen readers (FlatLaf adds it again after a theme change).
     */
    static void searchBox(JTextField field, String placeholder) {
        field.getAccessibleContext().setAccessibleName(placeholder);
        field.putClientProperty(FlatClientProperties.PLACEHOLDER_TEXT, placeholder);
        field.putClientProperty(FlatClientProperties.TEXT_FIELD_LEADING_ICON, new FlatSearchIcon());
        field.addContainerListener(new ContainerAdapter() {
            @Override
            public void componentAdded(ContainerEvent event) {
                nameClearButton(event.getChild());
            }
        });
        field.putClientProperty(FlatClientProperties.TEXT_FIELD_SHOW_CLEAR_BUTTON, true);
        for (Component part : field.getComponents()) {
            nameClearButton(part);
        }
    }

    private static void nameClearButton(Component part) {
        if (part instanceof JButton button && "TextField.clearButton".equals(button.getName())) {
            button.getAccessibleContext().setAccessibleName(text("search.clear"));
        }
    }

    /** Runs {@code onChange} after every change of {@code field}'s text. */
    static void onTextChange(JTextComponent field, Runnable onChange) {
        field.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                onChange.run();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                onChange.run();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
                onChange.run();
            }
        });
    }

    /** Runs {@code action} when {@code key} (a key stroke such as "DOWN") is pressed in {@code component}. */
    static void onKey(JComponent component, String key, Runnable action) {
        String name = "parley-" + key;
        component.getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke(key), name);
        component.getActionMap().put(name, new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                action.run();
            }
        });
    }

    /** Escape closes {@code dialog} as {@code onEscape} says. */
    static void closeOnEscape(JDialog dialog, Runnable onEscape) {
        dialog.getRootPane().registerKeyboardAction(event -> onEscape.run(), KeyStroke.getKeyStroke("ESCAPE"),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
    }

    /** {@code html} (a translated text that may hold line breaks and escaped values) centred over several lines. */
    static String centeredHtml(String html) {
        return "<html><div style='text-align:center'>" + html + "</div></html>";
    }

    static JLabel centered(String text) {
        return new JLabel(text, SwingConstants.CENTER);
    }

    /** An engine's message as a sentence: capital first letter, full stop at the end. */
    static String sentence(String message) {
        String text = message == null || message.isBlank() ? text("error.somethingWentWrong") : message.strip();
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + (text.endsWith(".") ? "" : ".");
    }

    /** At most {@code limit} characters of {@code text}, ended with "…" when cut. */
    static String shorten(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, text.offsetByCodePoints(0,
                text.codePointCount(0, limit) - 1)) + "…";
    }

    /** Text made safe to put inside Swing's HTML labels. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\n' -> out.append("<br>");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A file's size as people read it: {@code 830 bytes}, {@code 56 KB}, {@code 4.2 MB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return text("export.size.bytes", bytes);
        }
        if (bytes < 1024 * 1024) {
            return text("export.size.kilobytes", Math.round(bytes / 1024.0));
        }
        return text("export.size.megabytes", bytes / (1024.0 * 1024.0));
    }
}
