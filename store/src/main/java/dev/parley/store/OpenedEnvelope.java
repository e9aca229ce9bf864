package dev.parley.store;

import java.time.Instant;

/**
 * A session envelope {@code peer} sent that was opened here, as {@link Sessions#wasOpened} remembers it: written with
 * the message it carried ({@link Messages#insertOpenedAsync}), so that it is durable exactly when the message is.
 */
public record OpenedEnvelope(String peer, String messageId, Instant openedAt) {
    public OpenedEnvelope {
        Check.id("peer", peer);
        Check.id("message id", messageId);
        Check.time("opened at", openedAt);
    }
}
