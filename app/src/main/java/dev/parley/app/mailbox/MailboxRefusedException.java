package dev.parley.app.mailbox;

import dev.parley.app.mailbox.wire.MailboxProtos.Refused;
import java.io.IOException;

/** The mailbox refused a request and said why; the stream stays usable. */
public final class MailboxRefusedException extends IOException {
    private final Refused.Reason reason;

    MailboxRefusedException(Refused refused) {
        super("the mailbox refused: " + refused.getText() + " (" + refused.getReason() + ")");
        this.reason = refused.getReason();
    }

    public Refused.Reason reason() {
        return reason;
    }
}
