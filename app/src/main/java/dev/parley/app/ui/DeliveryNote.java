package dev.parley.app.ui;

import com.formdev.flatlaf.FlatClientProperties;
import com.formdev.flatlaf.util.UIScale;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.ui.i18n.Texts;
import java.util.List;
import java.util.Optional;
import javax.swing.BorderFactory;
import javax.swing.JLabel;

/**
 * Above the composer while messages of ours wait for a contact who is offline: "Bob is offline. Your messages will
 * be delivered when you are both online." Parley has no server to hold them, so the user should know why the clock
 * stays on them. When all that waits is in the contact's mailbox, it says so instead: the contact gets them when next
 * online, whether we are or not; and when contacts who carry hold all of it, it names them. Hidden otherwise.
 */
final class DeliveryNote extends JLabel {
    DeliveryNote() {
        setName("deliveryNote");
        putClientProperty(FlatClientProperties.STYLE, "foreground: $Label.disabledForeground");
        setBorder(BorderFactory.createEmptyBorder(UIScale.scale(6), UIScale.scale(16), UIScale.scale(2),
                UIScale.scale(16)));
        setVisible(false);
    }

    /**
     * Why messages to {@code contact} wait, when they do for want of the contact: it is an accepted contact who is
     * offline. Empty when it is online (then they are on their way) or not a contact.
     */
    static Optional<String> waitingReason(ContactInfo contact) {
        return isAway(contact) ? Optional.of(Texts.text("conversation.offlineNote", contact.name())) : Optional.empty();
    }

    private static boolean isAway(ContactInfo contact) {
        return !contact.online() && contact.status() == ContactStatus.ACCEPTED;
    }

    /**
     * Shows why messages wait while the contact is away: {@code sending} ones wait for both to be online, which the
     * note says before anything else; else {@code inMailbox} ones wait in the contact's mailbox; else the contacts
     * named in {@code carriers} hold what waits. Hidden otherwise.
     */
    void show(ContactInfo contact, boolean sending, boolean inMailbox, List<String> carriers) {
        Optional<String> reason = !isAway(contact) ? Optional.empty()
                : sending ? waitingReason(contact)
                : inMailbox ? Optional.of(Texts.text("conversation.mailboxNote", contact.name()))
                : !carriers.isEmpty() ? Optional.of(Texts.text("conversation.carriedNote", contact.name(),
                        DeliveryIcon.names(carriers)))
                : Optional.empty();
        setText(reason.orElse(""));
        getAccessibleContext().setAccessibleName(reason.orElse(Texts.text("conversation.nothingWaiting")));
        setVisible(reason.isPresent());
    }
}
