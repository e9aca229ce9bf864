package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ConversationOverview;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.ui.lists.ChoiceSelectionModel;
import dev.parley.app.ui.lists.FocusRing;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.transport.multiformats.PeerId;
import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BorderFactory;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.SwingConstants;
import javax.swing.Timer;

/**
 * The left side: a box that narrows the list by name, and the conversations, or words saying why there are none.
 * While its window is open it follows the engine: a line changes in place when its contact comes online or types,
 * and the list is read again off the EDT after a message, a request or a change of contact.
 */
final class ConversationListPanel extends JPanel {
    private static final String LIST = "list";
    private static final String EMPTY = "empty";

    private final ConversationListModel model = new ConversationListModel();
    private final JList<ConversationListModel.Line> list;
    private final JTextField filter = new JTextField();
    private final JLabel empty = new JLabel("", SwingConstants.CENTER);
    private final CardLayout cards = new CardLayout();
    private final JPanel center = new JPanel(cards);
    private final Engine engine;
    private final TimeLabels labels;
    private final Consumer<List<ConversationOverview>> onListed;
    private final Consumer<String> onError;
    private final ChoiceSelectionModel<ConversationListModel.Line> selection;
    /** The conversation open on the right, whose line stays selected across reloads; null when none is. */
    private PeerId open;
    /** The line the keyboard is on when none is open (a room is): the conversation open last; null for none. */
    private PeerId keyboardOn;
    private boolean reloading;
    private boolean reloadAgain;

    /**
     * @param onOpen   runs when the user chooses a line (a click, Enter, the arrow keys, Enter in the search box),
     *                 also the line of the conversation already open
     * @param onListed runs after each reload, once the lines are shown
     * @param onError  says what went wrong to the user
     */
    ConversationListPanel(Engine engine, TimeLabels labels, Consumer<PeerId> onOpen,
                          Consumer<List<ConversationOverview>> onListed, Consumer<String> onError) {
        super(new BorderLayout());
        this.engine = engine;
        this.labels = labels;
        this.onListed = onListed;
        this.onError = onError;
        list = new JList<>(model) {
            @Override
            public String getToolTipText(MouseEvent event) {
                int index = locationToIndex(event.getPoint());
                return index < 0 || !getCellBounds(index, index).contains(event.getPoint()) ? null
                        : presence(model.getElementAt(index).overview());
            }
        };
        list.setName("conversations");
        list.getAccessibleContext().setAccessibleName(text("list.name"));
        list.setCellRenderer(new ConversationCellRenderer(labels));
        list.setToolTipText("");
        selection = ChoiceSelectionModel.install(list, line -> onOpen.accept(line.peer()));

        filter.setName("filter");
        Forms.searchBox(filter, text("list.search"));
        Forms.onTextChange(filter, this::filterChanged);
        filter.addActionListener(event -> openFirstMatch());
        Forms.onKey(filter, "DOWN", this::focusFirstLine);
        Forms.onKey(filter, "ESCAPE", () -> filter.setText(""));
        JPanel top = new JPanel(new BorderLayout());
        top.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(10), UIScale.scale(10), UIScale.scale(8),
                UIScale.scale(10)));
        top.add(filter);

        empty.setName("emptyList");
        empty.putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        empty.setBorder(BorderFactory.createEmptyBorder(0, UIScale.scale(16), 0, UIScale.scale(16)));
        JScrollPane scroll = new JScrollPane(list);
        FocusRing.around(scroll, list, null);
        center.add(scroll, LIST);
        center.add(empty, EMPTY);
        add(top, BorderLayout.NORTH);
        add(center, BorderLayout.CENTER);
        showEmptyStateIfNeeded();
        UiTasks.followWhileDisplayable(this, engine, this::onEvent);
    }

    ConversationListModel model() {
        return model;
    }

    /** Each line in words, as the renderer paints it and screen readers hear it. */
    List<String> lineTexts() {
        ConversationCellRenderer renderer = (ConversationCellRenderer) list.getCellRenderer();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < model.getSize(); i++) {
            texts.add(renderer.describe(model.getElementAt(i)));
        }
        return texts;
    }

    String emptyText() {
        return empty.isShowing() ? empty.getText() : "";
    }

    JTextField filterField() {
        return filter;
    }

    /** Reads the conversations again off the EDT; calls while a reload runs make one more reload after it. */
    void reload() {
        if (reloading) {
            reloadAgain = true;
            return;
        }
        reloading = true;
        UiTasks.run(engine.history()::conversations, this::listed, failure -> {
            reloading = false;
            onError.accept(text("list.loadFailed", failure.getMessage()));
        });
    }

    private void listed(List<ConversationOverview> overviews) {
        reloading = false;
        show(overviews);
        onListed.accept(overviews);
        if (reloadAgain) {
            reloadAgain = false;
            reload();
        }
    }

    /** Replaces the lines; the open conversation stays selected without opening it again. */
    private void show(List<ConversationOverview> overviews) {
        model.replaceAll(overviews);
        showSelected();
        showEmptyStateIfNeeded();
    }

    /** Marks {@code peer}'s line as the open conversation (none for null), without opening it again. */
    void select(PeerId peer) {
        open = peer;
        if (peer != null) {
            keyboardOn = peer;
        }
        showSelected();
    }

    private void showSelected() {
        selection.show(open == null ? -1 : model.indexOf(open), keyboardOn == null ? -1 : model.indexOf(keyboardOn));
    }

    /** The conversations in the order the list shows them, narrowed by the search box. */
    List<PeerId> shownPeers() {
        List<PeerId> peers = new ArrayList<>(model.getSize());
        for (int i = 0; i < model.getSize(); i++) {
            peers.add(model.getElementAt(i).peer());
        }
        return peers;
    }

    /** Enter in the search box opens the first conversation it finds. */
    private void openFirstMatch() {
        if (!filter.getText().isBlank()) {
            selection.choose(0);
        }
    }

    /** Down in the search box goes to the list, on the open conversation's line or else the first. */
    private void focusFirstLine() {
        if (model.getSize() > 0) {
            int at = open == null ? -1 : model.indexOf(open);
            selection.show(at, Math.max(at, 0));
            list.ensureIndexIsVisible(Math.max(at, 0));
            list.requestFocusInWindow();
        }
    }

    private String presence(ConversationOverview overview) {
        if (overview.contact().online()) {
            return text("list.presence.online", overview.contact().name());
        }
        return overview.contact().lastSeen().map(at -> text("list.presence.lastSeen", overview.contact().name(),
                labels.lastSeen(at))).orElse(text("list.presence.never", overview.contact().name()));
    }

    private void filterChanged() {
        model.setFilter(filter.getText());
        showSelected();
        showEmptyStateIfNeeded();
    }

    private void onEvent(EngineEvent event) {
        switch (event) {
            case EngineEvent.MessageReceived received -> {
                model.setTyping(received.message().peer(), false);
                reload();
            }
            case EngineEvent.Typing typing -> showTyping(typing.peer());
            case EngineEvent.Presence presence -> {
                model.setOnline(presence.peer(), presence.online());
                showSelected();
                reload();
            }
            case EngineEvent.Request request -> reload();
            case EngineEvent.ContactUpdated updated -> reload();
            case EngineEvent.RequestMessagesDropped dropped -> reload();
            case EngineEvent.SessionRenewed renewed -> reload();
            default -> {
                // Nothing else changes a line.
            }
        }
    }

    /** The line says "typing…" until a message comes, or for a little longer than the interval between notices. */
    private void showTyping(PeerId peer) {
        model.setTyping(peer, true);
        Timer stop = new Timer(ConversationHeader.TYPING_SHOWN_MILLIS, event -> model.setTyping(peer, false));
        stop.setRepeats(false);
        stop.start();
    }

    private void showEmptyStateIfNeeded() {
        if (model.noConversations()) {
            empty.setText(Forms.centeredHtml(text("list.empty")));
            cards.show(center, EMPTY);
        } else if (model.getSize() == 0) {
            empty.setText(Forms.centeredHtml(text("list.noMatch", Forms.escape(filter.getText().strip()))));
            cards.show(center, EMPTY);
        } else {
            cards.show(center, LIST);
        }
    }
}
