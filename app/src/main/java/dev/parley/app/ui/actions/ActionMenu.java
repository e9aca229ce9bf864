package dev.parley.app.ui.actions;

import dev.parley.app.ui.i18n.Texts;
import java.awt.Component;
import javax.swing.JMenuItem;
import javax.swing.JPopupMenu;
import javax.swing.MenuElement;
import javax.swing.MenuSelectionManager;

/**
 * The actions on one message, the same in a 1:1 conversation and in a room: Reply, React, Copy text, Edit (ours),
 * Delete for me, Delete for everyone (ours), Forward. A message deleted for everyone offers only Delete for me.
 * Opened by a right-click on the bubble, its hover button, or the context-menu key and Shift+F10 on the focused
 * message; opened from the keyboard, its first item is selected so arrows and Enter work at once.
 */
public final class ActionMenu {
    private ActionMenu() {
    }

    /** What the user can do to one message; each runs after the menu closed. */
    public interface Handler {
        void reply();

        void react();

        void copy();

        void edit();

        void deleteForMe();

        void deleteForEveryone();

        void forward();
    }

    /**
     * @param own     whether the user wrote it (only then may they edit it or delete it for everyone)
     * @param deleted whether its author deleted it for everyone
     */
    public record Target(boolean own, boolean deleted) {
    }

    /** The menu for {@code target}, not yet shown. */
    public static JPopupMenu create(Target target, Handler handler) {
        JPopupMenu menu = new JPopupMenu();
        menu.setName("messageActions");
        menu.getAccessibleContext().setAccessibleName(Texts.text("actions.menu"));
        if (!target.deleted()) {
            menu.add(item("actionReply", Texts.text("actions.reply"), handler::reply));
            menu.add(item("actionReact", Texts.text("actions.react"), handler::react));
            menu.add(item("actionCopy", Texts.text("actions.copy"), handler::copy));
            if (target.own()) {
                menu.add(item("actionEdit", Texts.text("actions.edit"), handler::edit));
            }
            menu.add(item("actionForward", Texts.text("actions.forward"), handler::forward));
            menu.addSeparator();
        }
        menu.add(item("actionDeleteForMe", Texts.text("actions.deleteForMe"), handler::deleteForMe));
        if (target.own() && !target.deleted()) {
            menu.add(item("actionDeleteForEveryone", Texts.text("actions.deleteForEveryone"),
                    handler::deleteForEveryone));
        }
        return menu;
    }

    /** Shows {@code menu} at {@code x, y} of {@code invoker} with its first item selected. */
    public static void show(JPopupMenu menu, Component invoker, int x, int y) {
        menu.show(invoker, x, y);
        for (MenuElement element : menu.getSubElements()) {
            MenuSelectionManager.defaultManager().setSelectedPath(new MenuElement[] {menu, element});
            break;
        }
    }

    static JMenuItem item(String name, String text, Runnable action) {
        JMenuItem item = new JMenuItem(text);
        item.setName(name);
        item.getAccessibleContext().setAccessibleName(text);
        // After the menu has gone: an action may open a dialog or another popup.
        item.addActionListener(event -> javax.swing.SwingUtilities.invokeLater(action));
        return item;
    }
}
