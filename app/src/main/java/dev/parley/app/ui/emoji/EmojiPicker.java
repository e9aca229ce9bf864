package dev.parley.app.ui.emoji;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.util.UIScale;
import java.awt.AWTEvent;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.KeyboardFocusManager;
import java.awt.Point;
import java.awt.Toolkit;
import java.awt.event.AWTEventListener;
import java.awt.event.ActionEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.beans.PropertyChangeListener;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.DefaultListCellRenderer;
import javax.swing.DefaultListModel;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JLayeredPane;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTabbedPane;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.LookAndFeel;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/**
 * A small grid of emoji over the window: the ones used recently, then a few categories. A click, or the arrow keys and Enter,
 * picks one; Escape closes it, as does a click or the focus elsewhere; Ctrl+Page Up and Page Down (or Tab to the tabs) change category. Every grid and every
 * emoji has an accessible name (the emoji's Unicode name).
 */
public final class EmojiPicker {
    static final String RECENT = "Recent";
    private static final int COLUMNS = 8;
    private static final int ROWS = 5;

    /** The picker floats over the window in its popup layer, as the window's toasts do. */
    private final JPanel panel = new JPanel(new BorderLayout()) {
        @Override
        public void updateUI() {
            super.updateUI();
            setBackground(UIManager.getColor("PopupMenu.background"));
            setBorder(BorderFactory.createLineBorder(UIManager.getColor("Component.borderColor")));
        }
    };
    /** Built when the picker first opens: every composer has a picker, and most are never opened. */
    private JTabbedPane tabs;
    private final DefaultListModel<String> recentModel = new DefaultListModel<>();
    private final Supplier<List<String>> recent;
    private final Consumer<String> onPick;
    private final Runnable giveBackFocus;
    /** The button the picker opened from, last. */
    private Component invoker;
    private final PropertyChangeListener closeWhenFocusLeaves = event -> {
        if (event.getNewValue() instanceof Component owner && !SwingUtilities.isDescendingFrom(owner, panel)
                && owner != invoker) {
            close();
        }
    };
    private final AWTEventListener closeOnClickElsewhere = event -> {
        if (event.getID() == MouseEvent.MOUSE_PRESSED && event.getSource() instanceof Component clicked
                && !SwingUtilities.isDescendingFrom(clicked, panel) && clicked != invoker) {
            close();
        }
    };
    private LookAndFeel lookAndFeel = UIManager.getLookAndFeel();

    /**
     * @param recent   the emoji picked recently, the most recent first; read each time the picker opens
     * @param onPick   runs with the emoji the user picked, after the picker closed
     * @param giveBackFocus puts the keyboard back where it was before, when the picker closes with it (picked,
     *                      Escape, the button again); not when the user closed it by going elsewhere
     */
    public EmojiPicker(Supplier<List<String>> recent, Consumer<String> onPick, Runnable giveBackFocus) {
        this.recent = recent;
        this.onPick = onPick;
        this.giveBackFocus = giveBackFocus;
        panel.setName("emojiPicker");
        panel.getAccessibleContext().setAccessibleName(text("emoji.picker"));
        panel.setVisible(false);
    }

    private void buildTabs() {
        tabs = new JTabbedPane(SwingConstants.TOP, JTabbedPane.SCROLL_TAB_LAYOUT);
        tabs.setName("emojiCategories");
        tabs.getAccessibleContext().setAccessibleName(text("emoji.categories"));
        tabs.addTab(text("emoji.category.recent"), grid(RECENT, text("emoji.category.recent"), recentModel));
        for (EmojiCatalogue.Category category : EmojiCatalogue.CATEGORIES) {
            DefaultListModel<String> model = new DefaultListModel<>();
            model.addAll(category.emoji());
            tabs.addTab(category.title(), grid(category.name(), category.title(), model));
        }
        tabs.addChangeListener(event -> focusGrid());
        tabs.getInputMap(JComponent.WHEN_ANCESTOR_OF_FOCUSED_COMPONENT).put(KeyStroke.getKeyStroke("ESCAPE"),
                "parley-ESCAPE");
        tabs.getActionMap().put("parley-ESCAPE", action(this::close));
        panel.add(tabs);
    }

    /**
     * Opens the picker over the window, its lower right corner at the upper right of {@code button}, on Recent when
     * there is any, with the keyboard in its grid; closes it if it is open.
     */
    public void toggle(Component button) {
        if (isShowing()) {
            close();
            return;
        }
        invoker = button;
        if (tabs == null) {
            buildTabs();
        }
        JLayeredPane layers = SwingUtilities.getRootPane(button).getLayeredPane();
        if (panel.getParent() != layers) {
            layers.add(panel, JLayeredPane.POPUP_LAYER);
        }
        if (UIManager.getLookAndFeel() != lookAndFeel) {
            // Until first shown the picker is in no window, so a change of theme before then passed it by.
            lookAndFeel = UIManager.getLookAndFeel();
            SwingUtilities.updateComponentTreeUI(panel);
        }
        recentModel.clear();
        recentModel.addAll(recent.get());
        for (int i = 0; i < tabs.getTabCount(); i++) {
            grid(i).clearSelection();
        }
        tabs.setSelectedIndex(recentModel.isEmpty() ? 1 : 0);
        Dimension size = panel.getPreferredSize();
        Point corner = SwingUtilities.convertPoint(button, button.getWidth() - size.width, -size.height, layers);
        panel.setBounds(Math.max(0, corner.x), Math.max(0, corner.y), size.width, size.height);
        panel.setVisible(true);
        panel.revalidate();
        panel.repaint();
        focusGrid();
        KeyboardFocusManager.getCurrentKeyboardFocusManager().addPropertyChangeListener("permanentFocusOwner",
                closeWhenFocusLeaves);
        Toolkit.getDefaultToolkit().addAWTEventListener(closeOnClickElsewhere, AWTEvent.MOUSE_EVENT_MASK);
    }

    public boolean isShowing() {
        return panel.isShowing();
    }

    private void close() {
        if (!panel.isVisible()) {
            return;
        }
        KeyboardFocusManager.getCurrentKeyboardFocusManager().removePropertyChangeListener("permanentFocusOwner",
                closeWhenFocusLeaves);
        Toolkit.getDefaultToolkit().removeAWTEventListener(closeOnClickElsewhere);
        Component owner = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
        boolean hadFocus = owner == null || owner == invoker || SwingUtilities.isDescendingFrom(owner, panel);
        panel.setVisible(false);
        if (hadFocus) {
            giveBackFocus.run();
        }
    }

    private JScrollPane grid(String name, String title, DefaultListModel<String> model) {
        JList<String> grid = new JList<>(model);
        grid.setName("emoji" + name);
        grid.getAccessibleContext().setAccessibleName(text("emoji.grid", title));
        grid.setLayoutOrientation(JList.HORIZONTAL_WRAP);
        grid.setVisibleRowCount(-1);
        grid.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        int cell = UIScale.scale(36);
        grid.setFixedCellWidth(cell);
        grid.setFixedCellHeight(cell);
        grid.setCellRenderer(new DefaultListCellRenderer() {
            @Override
            public Component getListCellRendererComponent(JList<?> list, Object value, int index, boolean selected,
                                                          boolean focused) {
                JLabel label = (JLabel) super.getListCellRendererComponent(list, value, index, selected, focused);
                label.setHorizontalAlignment(SwingConstants.CENTER);
                label.setFont(list.getFont().deriveFont(list.getFont().getSize2D() * 1.5f));
                label.setBorder(BorderFactory.createEmptyBorder());
                label.getAccessibleContext().setAccessibleName(EmojiCatalogue.nameOf((String) value));
                return label;
            }
        });
        grid.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                int index = grid.locationToIndex(event.getPoint());
                if (index >= 0 && grid.getCellBounds(index, index).contains(event.getPoint())) {
                    pick(model.get(index));
                }
            }
        });
        onKey(grid, "ENTER", () -> {
            if (grid.getSelectedValue() != null) {
                pick(grid.getSelectedValue());
            }
        });
        // A list would scroll by a page with these keys; here they turn the category, as in a tabbed pane.
        onKey(grid, "ctrl PAGE_DOWN", () -> turnCategory(1));
        onKey(grid, "ctrl PAGE_UP", () -> turnCategory(-1));
        JScrollPane scroll = new JScrollPane(grid, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        // Room for the columns beside the scroll bar, which the theme makes at most 10 wide.
        scroll.setPreferredSize(new Dimension(COLUMNS * cell + UIScale.scale(16), ROWS * cell));
        return scroll;
    }

    private JList<?> grid(int tab) {
        return (JList<?>) ((JScrollPane) tabs.getComponentAt(tab)).getViewport().getView();
    }

    /** The keyboard goes to the shown grid, on its first emoji unless one is chosen already. */
    private void focusGrid() {
        JList<?> grid = grid(tabs.getSelectedIndex());
        if (grid.getSelectedIndex() < 0 && grid.getModel().getSize() > 0) {
            grid.setSelectedIndex(0);
        }
        grid.requestFocusInWindow();
    }

    /** Shows the category {@code step} tabs on (or back), round the end. */
    private void turnCategory(int step) {
        // The tabs hold the keyboard while the grid that had it is hidden, so it never leaves the picker (which would
        // close it).
        tabs.requestFocusInWindow();
        SwingUtilities.invokeLater(() ->
                tabs.setSelectedIndex(Math.floorMod(tabs.getSelectedIndex() + step, tabs.getTabCount())));
    }

    private static void onKey(JComponent component, String key, Runnable run) {
        component.getInputMap(JComponent.WHEN_FOCUSED).put(KeyStroke.getKeyStroke(key), "parley-" + key);
        component.getActionMap().put("parley-" + key, action(run));
    }

    private static AbstractAction action(Runnable run) {
        return new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                run.run();
            }
        };
    }

    private void pick(String emoji) {
        close();
        onPick.accept(emoji);
    }
}
