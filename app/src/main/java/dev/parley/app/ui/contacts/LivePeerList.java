package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.KeyboardFocusManager;
import java.awt.Rectangle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JViewport;
import javax.swing.Scrollable;
import javax.swing.SwingConstants;
import javax.swing.SwingUtilities;

/**
 * A list of peers that follows the engine: loaded off the EDT when shown and again after each event that changes
 * it, one row per peer, an explanation when it is empty, and what went wrong above it.
 *
 * @param <T> what one row shows
 */
abstract class LivePeerList<T> extends JPanel {
    private static final String ROWS = "rows";
    private static final String EMPTY = "empty";

    final Engine engine;
    private final JPanel rows = new RowColumn();
    private final CardLayout cards = new CardLayout();
    private final JPanel body = new JPanel(cards);
    private final MessageArea problem;
    /** Peers whose row action is under way, with the button that started it: their rows stay disabled. */
    private final Map<PeerId, String> busy = new HashMap<>();
    private List<T> shown = List.of();
    /** Whether the rows on screen no longer show {@link #busy} as it is, so that the next load rebuilds them. */
    private boolean busyChanged;
    private Consumer<ContactInfo> newContactListener = contact -> {
    };
    private long latestLoad;
    private Consumer<EngineEvent> subscriber;

    LivePeerList(Engine engine, String name, String emptyTitle, String emptyDetail) {
        super(new BorderLayout());
        this.engine = engine;
        setName(name);
        problem = new MessageArea(name + ".problem");
        problem.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(12), UIScale.scale(8),
                UIScale.scale(12)));
        JScrollPane scroll = new JScrollPane(rows);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        body.add(scroll, ROWS);
        body.add(emptyState(name, emptyTitle, emptyDetail), EMPTY);
        cards.show(body, EMPTY);
        add(problem, BorderLayout.PAGE_START);
        add(body, BorderLayout.CENTER);
    }

    private static JComponent emptyState(String name, String title, String detail) {
        JLabel titleLabel = Widgets.label(title, name + ".emptyTitle", "h3");
        titleLabel.setHorizontalAlignment(SwingConstants.CENTER);
        JLabel detailLabel = Widgets.secondary(detail, name + ".emptyDetail");
        detailLabel.setHorizontalAlignment(SwingConstants.CENTER);
        JPanel centred = new JPanel(new GridBagLayout());
        centred.add(Widgets.column(6, 24, titleLabel, detailLabel));
        return centred;
    }

    /** Who hears, on the EDT, of each peer made a contact in this list. */
    final void listenForNewContacts(Consumer<ContactInfo> listener) {
        newContactListener = Objects.requireNonNull(listener, "listener");
    }

    /** Tells the listener that {@code contact} became a contact here. */
    final void newContact(ContactInfo contact) {
        newContactListener.accept(contact);
    }

    /** The rows' items, read from the engine; runs off the EDT. */
    abstract List<T> load() throws Exception;

    /** The row of one item; runs on the EDT. */
    abstract JComponent row(T item);

    /** Whether {@code event} may change what the list shows. */
    abstract boolean affects(EngineEvent event);

    /** What the list shows now. */
    final List<T> shown() {
        return shown;
    }

    /**
     * A row's button that runs {@code action} on the engine off the EDT, then reloads the list and passes the result
     * to {@code done}, or says what went wrong. Meanwhile the row's buttons are disabled and this one says
     * {@code busyText}.
     */
    final <R> JButton actionButton(PeerId peer, String text, String busyText, String name, String accessibleName,
                                   Callable<R> action, Consumer<? super R> done) {
        JButton button = Widgets.button(text, name, accessibleName, event -> act(peer, name, action, done));
        String busyWith = busy.get(peer);
        if (busyWith != null) {
            button.setEnabled(false);
            if (busyWith.equals(name)) {
                button.setText(busyText);
            }
        }
        return button;
    }

    /**
     * Reads the list from the engine again; only the newest of overlapping loads is shown, and only if it differs from
     * what is: every engine event that may touch the list reloads it, and rebuilding unchanged rows would reset the
     * pointer's hover and whatever a screen reader was reading for nothing.
     */
    final void reload() {
        long load = ++latestLoad;
        UiTasks.run(this::load, items -> {
            if (load == latestLoad && (busyChanged || !items.equals(shown))) {
                show(items);
            }
        }, error -> {
            if (load == latestLoad) {
                problem.showProblem(error);
            }
        });
    }

    private <R> void act(PeerId peer, String buttonName, Callable<R> action, Consumer<? super R> done) {
        busy.put(peer, buttonName);
        problem.clear();
        show(shown);
        UiTasks.run(action, result -> {
            busy.remove(peer);
            busyChanged = true;
            reload();
            done.accept(result);
        }, error -> {
            busy.remove(peer);
            show(shown);
            problem.showProblem(error);
            reload();
        });
    }

    private void show(List<T> items) {
        shown = List.copyOf(items);
        busyChanged = false;
        String focusedName = focusedRowComponent();
        rows.removeAll();
        GridBagConstraints at = new GridBagConstraints();
        at.gridx = 0;
        at.weightx = 1;
        at.fill = GridBagConstraints.HORIZONTAL;
        at.anchor = GridBagConstraints.PAGE_START;
        for (T item : items) {
            rows.add(row(item), at);
        }
        at.weighty = 1;
        rows.add(new JPanel(), at);
        cards.show(body, items.isEmpty() ? EMPTY : ROWS);
        rows.revalidate();
        rows.repaint();
        if (focusedName != null) {
            refocus(rows, focusedName);
        }
    }

    /** The name of the row button that has the keyboard focus, so that a reload can give it back. */
    private String focusedRowComponent() {
        Component owner = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusOwner();
        return owner != null && SwingUtilities.isDescendingFrom(owner, rows) ? owner.getName() : null;
    }

    private static boolean refocus(Container container, String name) {
        for (Component child : container.getComponents()) {
            if (name.equals(child.getName()) && child.isFocusable() && child.isEnabled()) {
                child.requestFocusInWindow();
                return true;
            }
            if (child instanceof Container inner && refocus(inner, name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void addNotify() {
        super.addNotify();
        subscriber = UiTasks.subscribeOnEdt(engine, event -> {
            if (affects(event)) {
                reload();
            }
        });
        reload();
    }

    @Override
    public void removeNotify() {
        engine.unsubscribe(subscriber);
        subscriber = null;
        super.removeNotify();
    }

    /** Rows as wide as the view, stacked from the top. */
    private static final class RowColumn extends JPanel implements Scrollable {
        private static final int VIEW_WIDTH = 380;
        private static final int VIEW_HEIGHT = 300;

        RowColumn() {
            super(new GridBagLayout());
        }

        /** Room for a few rows, whatever the list holds at the time a window is packed around it. */
        @Override
        public Dimension getPreferredScrollableViewportSize() {
            return new Dimension(Math.max(getPreferredSize().width, UIScale.scale(VIEW_WIDTH)),
                    UIScale.scale(VIEW_HEIGHT));
        }

        @Override
        public int getScrollableUnitIncrement(Rectangle visible, int orientation, int direction) {
            return UIScale.scale(24);
        }

        @Override
        public int getScrollableBlockIncrement(Rectangle visible, int orientation, int direction) {
            return orientation == SwingConstants.VERTICAL ? visible.height : visible.width;
        }

        @Override
        public boolean getScrollableTracksViewportWidth() {
            return true;
        }

        @Override
        public boolean getScrollableTracksViewportHeight() {
            return getParent() instanceof JViewport viewport && viewport.getHeight() > getPreferredSize().height;
        }
    }
}
