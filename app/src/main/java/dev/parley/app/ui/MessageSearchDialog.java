package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.SearchResult;
import dev.parley.app.engine.time.HybridClock;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.Frame;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.ListCellRenderer;
import javax.swing.ListSelectionModel;
import javax.swing.Timer;
import javax.swing.UIManager;

/**
 * Searches every conversation's history as the user types (after a short pause, off the EDT): each result shows
 * who, when, and the words around the match with the matched words highlighted. Choosing one opens the
 * conversation at that message.
 */
final class MessageSearchDialog extends JDialog {
    private static final int RESULTS = 100;
    private static final int TYPING_PAUSE_MILLIS = 250;

    /** A result with who wrote it: the person whose conversation it is in, or "You, to" them. */
    record Hit(SearchResult result, String name) {
        Instant time() {
            return Instant.ofEpochMilli(HybridClock.millis(result.hlc()));
        }
    }

    private final Engine engine;
    private final TimeLabels labels;
    private final BiConsumer<PeerId, MessageId> open;
    private final JTextField query = new JTextField(30);
    private final DefaultListModel<Hit> hits = new DefaultListModel<>();
    private final JList<Hit> results = new JList<>(hits);
    private final JLabel status = new JLabel(" ");
    private final Timer pause;
    private int searches;

    MessageSearchDialog(Frame owner, Engine engine, TimeLabels labels, BiConsumer<PeerId, MessageId> open) {
        super(owner, text("search.title"), false);
        this.engine = engine;
        this.labels = labels;
        this.open = open;
        setName("search");
        query.setName("query");
        results.setName("results");
        status.setName("searchStatus");
        Forms.searchBox(query, text("search.placeholder"));
        results.getAccessibleContext().setAccessibleName(text("search.results"));
        status.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        pause = new Timer(TYPING_PAUSE_MILLIS, event -> search());
        pause.setRepeats(false);
        Forms.onTextChange(query, pause::restart);
        query.addActionListener(event -> {
            if (!hits.isEmpty()) {
                openHit(hits.get(0));
            }
        });
        results.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        results.setCellRenderer(new HitRenderer());
        results.addMouseListener(new MouseAdapter() {
            @Override
            public void mouseClicked(MouseEvent event) {
                int index = results.locationToIndex(event.getPoint());
                if (index >= 0 && results.getCellBounds(index, index).contains(event.getPoint())) {
                    openHit(hits.get(index));
                }
            }
        });
        results.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "open-hit");
        results.getActionMap().put("open-hit", new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent event) {
                if (results.getSelectedValue() != null) {
                    openHit(results.getSelectedValue());
                }
            }
        });

        JPanel top = new JPanel(new BorderLayout(0, UIScale.scale(6)));
        top.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(12), UIScale.scale(12), UIScale.scale(8),
                UIScale.scale(12)));
        top.add(query, BorderLayout.CENTER);
        top.add(status, BorderLayout.SOUTH);
        JScrollPane scroll = new JScrollPane(results);
        scroll.setBorder(BorderFactory.createMatteBorder(1, 0, 0, 0, UIManager.getColor("Component.borderColor")));
        add(top, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        Forms.closeOnEscape(this, () -> setVisible(false));
        setSize(UIScale.scale(480), UIScale.scale(520));
        setLocationRelativeTo(owner);
    }

    private void search() {
        String text = query.getText().strip();
        int current = ++searches;
        if (text.isEmpty()) {
            hits.clear();
            status.setText(" ");
            return;
        }
        status.setText(text("search.searching"));
        UiTasks.run(() -> {
            List<Hit> found = new ArrayList<>();
            for (SearchResult result : engine.history().search(text, RESULTS)) {
                String name = engine.contacts().get(result.peer()).map(ContactInfo::name)
                        .orElse(result.peer().toBase58());
                found.add(new Hit(result, sender(result, name)));
            }
            return found;
        }, found -> {
            if (current != searches) {
                return;
            }
            hits.clear();
            hits.addAll(found);
            status.setText(found.isEmpty() ? text("search.noMatch", text)
                    : found.size() >= RESULTS ? text("search.newest", RESULTS) : text("search.matches", found.size()));
        }, failure -> {
            if (current == searches) {
                hits.clear();
                status.setText(Forms.sentence(text("search.failed", failure.getMessage())));
            }
        });
    }

    /** Who wrote a hit: the contact, or we, to the contact ("You, to Bob"): it is in the conversation with them. */
    static String sender(SearchResult result, String contactName) {
        return result.outgoing() ? text("search.youTo", contactName) : contactName;
    }

    private void openHit(Hit hit) {
        open.accept(hit.result().peer(), hit.result().id());
    }

    /** Name and time on top, the snippet below with the matched words in bold accent. */
    private final class HitRenderer extends JPanel implements ListCellRenderer<Hit> {
        private final JLabel who = new JLabel();
        private final JLabel when = new JLabel();
        private final JLabel snippet = new JLabel();

        HitRenderer() {
            super(new BorderLayout(UIScale.scale(8), UIScale.scale(2)));
            who.putClientProperty(FlatClientProperties.STYLE, "font: bold");
            JPanel top = new JPanel(new BorderLayout());
            top.setOpaque(false);
            top.add(who, BorderLayout.CENTER);
            top.add(when, BorderLayout.EAST);
            add(top, BorderLayout.NORTH);
            add(snippet, BorderLayout.CENTER);
            setBorder(BorderFactory.createEmptyBorder(UIScale.scale(8), UIScale.scale(12), UIScale.scale(8),
                    UIScale.scale(12)));
        }

        @Override
        public Component getListCellRendererComponent(JList<? extends Hit> list, Hit hit, int index,
                                                      boolean selected, boolean focused) {
            setBackground(selected ? list.getSelectionBackground() : list.getBackground());
            Color foreground = selected ? list.getSelectionForeground() : list.getForeground();
            Color highlight = selected ? foreground : UIManager.getColor("Component.accentColor");
            who.setForeground(foreground);
            when.setForeground(selected ? foreground : UIManager.getColor("Label.disabledForeground"));
            snippet.setForeground(foreground);
            who.setText(hit.name());
            when.setText(labels.listTime(hit.time()));
            snippet.setText("<html>" + highlighted(hit.result().snippet(), highlight) + "</html>");
            getAccessibleContext().setAccessibleName(text("search.hit", hit.name(), labels.listTime(hit.time()),
                    hit.result().snippet().text()));
            return this;
        }

        @Override
        public Dimension getPreferredSize() {
            Dimension size = super.getPreferredSize();
            return new Dimension(Math.min(size.width, UIScale.scale(400)), size.height);
        }

        private static String highlighted(SearchResult.Snippet snippet, Color colour) {
            String hex = String.format("#%06x", colour.getRGB() & 0xFFFFFF);
            StringBuilder html = new StringBuilder();
            int at = 0;
            String text = snippet.text();
            for (SearchResult.Snippet.Highlight h : snippet.highlights()) {
                html.append(Forms.escape(text.substring(at, h.start()))).append("<b><font color='").append(hex)
                        .append("'>").append(Forms.escape(text.substring(h.start(), h.end()))).append("</font></b>");
                at = h.end();
            }
            return html.append(Forms.escape(text.substring(at))).toString();
        }
    }

    JComponent resultsList() {
        return results;
    }
}
