package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.mailbox.Carrying;
import java.awt.BorderLayout;
import java.text.ParseException;
import java.util.Optional;
import java.util.OptionalLong;
import javax.swing.BorderFactory;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSpinner;
import javax.swing.SpinnerNumberModel;

/**
 * Settings → carrying for contacts (app/README.md, "Contacts who carry"): whether we keep messages for contacts who
 * are offline, and how much disk they may take, in MiB. Saved with the dialog's Save; off is a quota of 0, and turning
 * it on again offers the quota last saved (or the engine's default).
 */
final class CarrySection extends JPanel {
    private static final long MIB = 1L << 20;
    /** The most the spinner offers: more than any contact's messages should need, less than a disk. */
    static final int MAX_QUOTA_MIB = 100 * 1024;

    private final JCheckBox carry = new JCheckBox(text("settings.carry.keep"));
    private final JSpinner quota;
    private final boolean wasOn;
    private final int shownMib;

    /**
     * @param quotaBytes the engine's quota now, 0 while carrying is off
     * @param lastMib    the quota last saved, in MiB, which a quota of 0 does not say
     * @param textWidth  the width explanations wrap at, as the dialog's others do
     */
    CarrySection(long quotaBytes, Optional<Integer> lastMib, int textWidth) {
        super(new BorderLayout());
        setName("carrySection");
        setOpaque(false);
        wasOn = quotaBytes > 0;
        // A quota set in bytes elsewhere shows rounded up, and is saved again only when the user changes it.
        long offered = wasOn ? (quotaBytes + MIB - 1) / MIB : lastMib.orElse((int) (Carrying.DEFAULT_QUOTA_BYTES / MIB));
        shownMib = Math.clamp(offered, 1, MAX_QUOTA_MIB);
        quota = new JSpinner(new SpinnerNumberModel(shownMib, 1, MAX_QUOTA_MIB, 16));
        quota.setName("carryQuota");
        quota.setEditor(new JSpinner.NumberEditor(quota, "#"));
        quota.getAccessibleContext().setAccessibleName(text("settings.carry.quota.name"));
        carry.setName("carry");
        carry.setSelected(wasOn);
        quota.setEnabled(wasOn);
        carry.addActionListener(event -> quota.setEnabled(carry.isSelected()));

        JLabel title = new JLabel(text("settings.carry"));
        title.putClientProperty(FlatClientProperties.STYLE_CLASS, "h3");
        JPanel quotaLine = new JPanel(new BorderLayout(UIScale.scale(6), 0));
        quotaLine.setOpaque(false);
        quotaLine.add(quota, BorderLayout.CENTER);
        quotaLine.add(new JLabel(text("settings.carry.quota.unit")), BorderLayout.EAST);
        JPanel quotaLeft = new JPanel(new BorderLayout());
        quotaLeft.setOpaque(false);
        quotaLeft.add(quotaLine, BorderLayout.WEST);
        Forms.Grid grid = new Forms.Grid()
                .full(title)
                .full(carry)
                .row(text("settings.carry.quota"), quotaLeft)
                .full(Forms.note(text("settings.carry.note"), textWidth));
        grid.setBorder(BorderFactory.createEmptyBorder());
        grid.setOpaque(false);
        add(grid, BorderLayout.NORTH);
    }

    /** The quota to give the engine, in bytes (0: carry for nobody); empty when the user changed nothing. */
    OptionalLong changedQuotaBytes() {
        int mib = chosenMib();
        if (carry.isSelected() == wasOn && (!wasOn || mib == shownMib)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(carry.isSelected() ? mib * MIB : 0);
    }

    /** The quota in the spinner, in MiB: the one to offer again when carrying is turned off now and on later. */
    int chosenMib() {
        return (Integer) quota.getValue();
    }

    /** A number typed but not yet confirmed with Enter counts: the user sees it in the field. */
    void commitEdit() throws ParseException {
        quota.commitEdit();
    }
}
