package dev.parley.store;

import java.time.Instant;

/**
 * A peer's report that one of our messages reached it or was read. The message it is about is named beside it
 * ({@link Receipts#record}) or holds it ({@link HistoryMessage}).
 */
public record Receipt(String peerId, ReceiptKind kind, Instant at) {
    public Receipt {
        Check.id("peer id", peerId);
        Check.present("receipt kind", kind);
        at = Check.time("receipt time", at);
    }
}
