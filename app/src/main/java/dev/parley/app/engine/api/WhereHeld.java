package dev.parley.app.engine.api;

import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/**
 * Where a 1:1 message of ours waits for its contact besides our own outbox (app/README.md, "Mailboxes in the engine"
 * and "Contacts who carry"): in the contact's mailbox, with contacts who carry it, or nowhere else (it goes when we
 * and the contact are next online together, or it was delivered already).
 */
public sealed interface WhereHeld {
    /** Held by nothing but our outbox. */
    record Nowhere() implements WhereHeld {
    }

    /** In the contact's own mailbox. */
    record InMailbox() implements WhereHeld {
    }

    /** With these contacts of ours, who hand it over when they next meet the contact; in the order they took it. */
    record WithCarriers(List<PeerId> carriers) implements WhereHeld {
        public WithCarriers {
            carriers = List.copyOf(carriers);
            if (carriers.isEmpty()) {
                throw new IllegalArgumentException("a message with carriers names at least one");
            }
        }
    }
}
