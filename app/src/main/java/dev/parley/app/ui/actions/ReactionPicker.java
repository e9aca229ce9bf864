package dev.parley.app.ui.actions;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.ui.emoji.Emoji;
import dev.parley.app.ui.i18n.Texts;
import java.awt.Dimension;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.BoxLayout;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;

/**
 * A small row of common emoji to react with, and "More…" for the full {@link dev.parley.app.ui.emoji.EmojiPicker}.
 * Arrows move along it and Enter picks, as in any menu.
 */
public final class ReactionPicker {
    /** The emoji most reactions use, in the order shown. */
    public static final List<String> COMMON = List.of("👍", "❤️", "😂", "😮", "😢", "🙏");

    private ReactionPicker() {
    }

    /** The picker, not yet shown: {@code onPick} gets the emoji, {@code onMore} opens the full picker. */
    public static JPopupMenu create(Consumer<String> onPick, Runnable onMore) {
        JPopupMenu picker = new JPopupMenu();
        picker.setName("reactionPicker");
        picker.getAccessibleContext().setAccessibleName(Texts.text("actions.reactionPicker"));
        picker.setLayout(new BoxLayout(picker, BoxLayout.X_AXIS));
        for (String emoji : COMMON) {
            JMenuItem item = ActionMenu.item("react " + emoji, "", () -> onPick.accept(emoji));
            Emoji.icon(emoji, UIScale.scale(22)).ifPresentOrElse(item::setIcon, () -> item.setText(emoji));
            // Menu items keep room for a check mark and a shortcut: an emoji's cell needs only the emoji.
            item.setPreferredSize(new Dimension(UIScale.scale(46), UIScale.scale(36)));
            item.getAccessibleContext().setAccessibleName(Texts.text("actions.reactWith", emoji));
            item.setToolTipText(Texts.text("actions.reactWith", emoji));
            picker.add(item);
        }
        picker.add(ActionMenu.item("reactMore", Texts.text("actions.reactMore"), onMore));
        return picker;
    }
}
