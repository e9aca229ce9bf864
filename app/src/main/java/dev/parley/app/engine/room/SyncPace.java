package dev.parley.app.engine.room;

/**
 * How fast we answer one member's syncs: a token bucket of the room envelope bytes we read from the store and send
 * it, per member, shared by all its syncs. An honest member's catch-up fits in the burst; a member that asks for
 * everything again and again gets, beyond it, no more than the rate, and the rest of each answer later (the answer
 * says there is more, and the anti-entropy rounds ask again). See app/README.md, "Rooms", what a member can cost us.
 *
 * @param bytesPerSecond envelope bytes answered a second, once the burst is spent
 * @param byteBurst      envelope bytes answered at once
 */
public record SyncPace(double bytesPerSecond, double byteBurst) {
    /**
     * 256 KiB a second after 64 MiB at once: a member back from a long absence gets some 200,000 messages of a busy
     * room at once, and one that asks for the log again and again costs us a quarter of a megabyte a second.
     */
    public static final SyncPace DEFAULT = new SyncPace(256 * 1024, 64 * 1024 * 1024);

    public SyncPace {
        if (!(bytesPerSecond > 0) || !(byteBurst > 0) || Double.isInfinite(bytesPerSecond)
                || Double.isInfinite(byteBurst)) {
            throw new IllegalArgumentException("a sync pace needs a finite rate and burst above 0, not "
                    + bytesPerSecond + " bytes a second and " + byteBurst);
        }
    }
}
