package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Window;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import javax.swing.UIManager;

/**
 * Ctrl+K: a small dialog that opens a conversation or a room by its name. What is typed narrows the list (names
 * that start with it first, then names with a word that starts with it, then names that contain it, each group in
 * the order of the window's lists); Up and Down move in it, Enter or a click opens, Escape closes. The focus stays
 * in the text field throughout. It has no title bar; its title names it for screen readers.
 */
final class JumpDialog extends JDialog {
    /** A conversation or room offered under {@code name}; {@code kind} says which: "contact", "request", "room". */
    record Entry(Place place, String name, String kind) {
    }

    private static final int VISIBLE_LINES = 6;

    private final List<Entry> entries;
    private final JTextField query = new JTextField();
    private final DefaultListModel<Entry> matches = new DefaultListModel<>();
    private final JList<Entry> results = new JList<>(matches);
    private final JLabel status = new JLabel(" ");
    private Entry chosen;

    private JumpDialog(Window owner, List<Entry> entries) {
        super(owner, text("jump.title"), ModalityType.DOCUMENT_MODAL);
        this.entries = List.copyOf(entries);
        setName("jumpDialog");
        query.setName("jumpQuery");
        Forms.searchBox(query, text("jump.search"));
        Forms.onTextChange(query, this::narrow);
        query.addActionListener(event -> open(results.getSelectedValue()));
        Forms.onKey(query, "DOWN", () -> move(1));
        Forms.onKey(query, "UP", () -> move(-1));
        Forms.closeOnEscape(this, this::dispose);

        results.setName("jumpResults");
        results.getAccessibleContext().setAccessibleName(text("jump.results"));
        results.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        results.setFocusable(false);
        results.setCellRenderer(new EntryRenderer());
        // Lines of one height, and room for a few, however many are found.
        results.setPrototypeCellValue(new Entry(null, "Name", "contact"));
        results.setVisibleRowCount(VISIBLE_LINES);
        results.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                int index = results.locationToIndex(event.getPoint());
                if (index >= 0 && results.getCellBounds(index, index).contains(event.getPoint())) {
                    open(matches.get(index));
                }
            }
        });
        status.setName("jumpStatus");
        status.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground; font: -1");

        JScrollPane scroll = new JScrollPane(results);
        scroll.setPreferredSize(new Dimension(UIScale.scale(380), scroll.getPreferredSize().height));
        JPanel content = new JPanel(new BorderLayout(0, UIScale.scale(8)));
        // A picker over the window, as in editors and other messengers: no title bar, a frame of its own.
        setUndecorated(true);
        content.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createLineBorder(UIManager.getColor("Component.borderColor")),
                BorderFactory.createEmptyBorder(UIScale.scale(12), UIScale.scale(12), UIScale.scale(10),
                        UIScale.scale(12))));
        content.add(query, BorderLayout.NORTH);
        content.add(scroll, BorderLayout.CENTER);
        content.add(status, BorderLayout.SOUTH);
        setContentPane(content);
        narrow();
        pack();
        setResizable(false);
        setLocationRelativeTo(owner);
        if (owner != null) {
            // Where the eyes are: over the upper part of the window, as such pickers are.
            setLocation(getX(), owner.getY() + Math.max(UIScale.scale(60), (owner.getHeight() - getHeight()) / 4));
        }
    }

    /** Asks which conversation or room to open; empty when the user closed the dialog. Returns once it is closed. */
    static Optional<Place> choose(Window owner, List<Entry> entries) {
        JumpDialog dialog = new JumpDialog(owner, entries);
        dialog.setVisible(true);
        return Optional.ofNullable(dialog.chosen).map(Entry::place);
    }

    /**
     * The entries whose name holds {@code text} (any case; all for a blank text): those that start with it, then
     * those with a word that starts with it, then the rest, each group in the given order.
     */
    static List<Entry> matching(List<Entry> entries, String text) {
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        List<Entry> found = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.name().toLowerCase(Locale.ROOT).contains(wanted)) {
                found.add(entry);
            }
        }
        found.sort(Comparator.comparingInt(entry -> rank(entry.name().toLowerCase(Locale.ROOT), wanted)));
        return found;
    }

    private static int rank(String name, String wanted) {
        if (name.startsWith(wanted)) {
            return 0;
        }
        for (int at = name.indexOf(wanted); at > 0; at = name.indexOf(wanted, at + 1)) {
            if (!Character.isLetterOrDigit(name.codePointBefore(at))) {
                return 1;
            }
        }
        return 2;
    }

    private void narrow() {
        matches.clear();
        matches.addAll(matching(entries, query.getText()));
        if (!matches.isEmpty()) {
            results.setSelectedIndex(0);
            results.ensureIndexIsVisible(0);
        }
        status.setText(entries.isEmpty() ? text("jump.nothing")
                : matches.isEmpty() ? text("jump.noMatch", query.getText().strip())
                : text("jump.hint"));
    }

    private void move(int step) {
        if (!matches.isEmpty()) {
            int next = Math.clamp(results.getSelectedIndex() + (long) step, 0, matches.size() - 1);
            results.setSelectedIndex(next);
            results.ensureIndexIsVisible(next);
        }
    }

    private void open(Entry entry) {
        if (entry != null) {
            chosen = entry;
            dispose();
        }
    }

    List<String> lineTexts() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            texts.add(describe(matches.get(i)));
        }
        return texts;
    }

    private static String describe(Entry entry) {
        return text("jump.entry", entry.name(), entry.kind());
    }

    /** A line: the name, and on the right, muted, what it is. */
    private static final class EntryRenderer extends JPanel implements ListCellRenderer<Entry> {
        private final JLabel name = new JLabel();
        private final JLabel kind = new JLabel();

        EntryRenderer() {
            super(new BorderLayout(UIScale.scale(12), 0));
            setBorder(BorderFactory.createEmptyBorder(UIScale.scale(6), UIScale.scale(10), UIScale.scale(6),
                    UIScale.scale(10)));
            kind.putClientProperty(FlatClientProperties.STYLE, "font: -1");
            add(name, BorderLayout.CENTER);
            add(kind, BorderLayout.EAST);
        }

        @Override
        public Component getListCellRendererComponent(JList<? extends Entry> list, Entry entry, int index,
                                                      boolean selected, boolean focused) {
            name.setText(entry.name());
            kind.setText(entry.kind());
            // The list never has the focus (the text field keeps it), yet its choice is the active one.
            setBackground(selected ? UIManager.getColor("List.selectionBackground") : list.getBackground());
            name.setForeground(selected ? UIManager.getColor("List.selectionForeground") : list.getForeground());
            kind.setForeground(selected ? UIManager.getColor("List.selectionForeground")
                    : UIManager.getColor("Label.disabledForeground"));
            getAccessibleContext().setAccessibleName(describe(entry));
            return this;
        }
    }
}
