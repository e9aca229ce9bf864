package dev.parley.store;

/** Where a file offered with a message stands on this device. */
public enum AttachmentState {
    /** Offered to us; nothing fetched, nothing asked. */
    OFFERED,
    /** Being fetched, or waiting for a peer that holds it: resumed at every start. */
    FETCHING,
    /** Fetching stopped by the user, with what came kept. */
    PAUSED,
    /** The whole file is here (ours, or fetched and checked). */
    COMPLETE,
    /** The user gave it up; what came was deleted. */
    CANCELLED,
    /** It cannot be fetched (the offer is unusable, or the disk refused it). */
    FAILED
}
