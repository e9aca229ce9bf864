package dev.parley.app.ui.actions;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.ui.emoji.Emoji;
import dev.parley.app.ui.i18n.Texts;
import java.awt.FlowLayout;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.swing.JButton;
import javax.swing.JPanel;

/**
 * The reactions under a bubble: one chip per emoji with how many reacted, its tooltip naming who. Ours are
 * selected; a click on one of ours takes our reaction back, a click on another's adds ours.
 */
public final class ReactionChips extends JPanel {
    /** Who reacted with one emoji, by name, and whether the user is among them. */
    public record Chip(String emoji, List<String> names, boolean mine) {
    }

    private List<Chip> chips = List.of();

    public ReactionChips() {
        super(new FlowLayout(FlowLayout.LEADING, UIScale.scale(4), 0));
        setOpaque(false);
        setName("reactions");
        getAccessibleContext().setAccessibleName(Texts.text("actions.reactions"));
    }

    /** Shows {@code shown}; {@code onClick} gets the emoji and whether it was ours. */
    public void show(List<Chip> shown, BiConsumer<String, Boolean> onClick) {
        if (shown.equals(chips)) {
            return;
        }
        chips = List.copyOf(shown);
        removeAll();
        for (Chip chip : shown) {
            JButton button = new JButton(String.valueOf(chip.names().size()));
            // Button text draws no colour emoji: the emoji is its icon, as in the composer's emoji button.
            Emoji.icon(chip.emoji(), UIScale.scale(16)).ifPresentOrElse(button::setIcon,
                    () -> button.setText(chip.emoji() + " " + chip.names().size()));
            button.setName("reaction " + chip.emoji());
            button.putClientProperty(FlatClientProperties.BUTTON_TYPE, FlatClientProperties.BUTTON_TYPE_ROUND_RECT);
            button.putClientProperty(FlatClientProperties.STYLE, "margin: 1,6,1,6; font: -1"
                    + (chip.mine() ? "; background: fade($Component.accentColor,35%)" : ""));
            String who = String.join(", ", chip.names());
            button.setToolTipText(Texts.text("actions.chip.tooltip", chip.emoji(), who));
            button.getAccessibleContext().setAccessibleName(Texts.text(chip.mine() ? "actions.chip.mine"
                    : "actions.chip.name", chip.emoji(), chip.names().size(), who));
            button.addActionListener(event -> onClick.accept(chip.emoji(), chip.mine()));
            add(button);
        }
        setVisible(!shown.isEmpty());
        revalidate();
        repaint();
    }

    public List<Chip> chips() {
        return chips;
    }

    /** The chips by emoji, e.g. for a test. */
    public Map<String, Chip> byEmoji() {
        return chips.stream().collect(java.util.stream.Collectors.toMap(Chip::emoji, chip -> chip));
    }
}
