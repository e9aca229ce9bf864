package dev.parley.app.ui.actions;

import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.TextVersion;
import dev.parley.app.ui.i18n.Texts;
import java.awt.BorderLayout;
import java.awt.Component;
import java.awt.FlowLayout;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JDialog;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;

/** Every version of an edited message, the original first, each with when it was written. */
public final class VersionsDialog extends JDialog {
    private final List<String> lines;

    private VersionsDialog(Component parent, List<TextVersion> versions, Function<Instant, String> when) {
        super(SwingUtilities.getWindowAncestor(parent), Texts.text("actions.versions.title"),
                ModalityType.MODELESS);
        setName("versionsDialog");
        lines = versions.stream().map(version -> Texts.text("actions.versions.line", when.apply(version.at()),
                version.text())).toList();
        JList<String> list = new JList<>(lines.toArray(String[]::new));
        list.setName("versionsList");
        list.getAccessibleContext().setAccessibleName(Texts.text("actions.versions.title"));
        JButton close = new JButton(Texts.text("actions.close"));
        close.setName("versionsClose");
        close.getAccessibleContext().setAccessibleName(Texts.text("actions.close"));
        close.addActionListener(event -> dispose());
        getRootPane().registerKeyboardAction(event -> dispose(), KeyStroke.getKeyStroke("ESCAPE"),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        JPanel content = new JPanel(new BorderLayout(0, UIScale.scale(8)));
        content.setBorder(BorderFactory.createEmptyBorder(UIScale.scale(12), UIScale.scale(12), UIScale.scale(12),
                UIScale.scale(12)));
        content.add(new JScrollPane(list), BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.TRAILING));
        buttons.add(close);
        content.add(buttons, BorderLayout.SOUTH);
        setContentPane(content);
        pack();
        setLocationRelativeTo(parent);
    }

    /** Shows the versions beside {@code parent}; {@code when} writes a version's time. */
    public static VersionsDialog show(Component parent, List<TextVersion> versions, Function<Instant, String> when) {
        VersionsDialog dialog = new VersionsDialog(parent, versions, when);
        dialog.setVisible(true);
        return dialog;
    }

    /** The lines shown, oldest first. */
    public List<String> lines() {
        return lines;
    }
}
