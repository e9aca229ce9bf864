package dev.parley.store;

import java.time.Instant;

/** A peer's report that one of our messages reached it or was read. */
public record Receipt(String messageId, String peerId, ReceiptKind kind, Instant at) {
    public Receipt {
        Check.id("message id", messageId);
        Check.id("peer id", peerId);
        Check.present("receipt kind", kind);
        at = Check.time("receipt time", at);
    }
}
