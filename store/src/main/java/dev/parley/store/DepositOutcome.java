package dev.parley.store;

/** What became of a deposit ({@link MailboxStore#deposit}); only {@code STORED} and {@code DUPLICATE} are kept. */
public enum DepositOutcome {
    STORED,
    /** The owner holds these very bytes already: stored once, answered as stored (a retry after a lost answer). */
    DUPLICATE,
    UNKNOWN_OWNER,
    REVOKED,
    OWNER_FULL,
    CAPABILITY_FULL
}
