package dev.parley.app.engine;

/**
 * How fast the engine stores what one peer sends: a token bucket of messages and one of bytes (the payloads), per
 * PeerId, shared by all its streams and connections. Beyond it the engine takes that peer's envelopes no faster: the
 * stream waits, flow control holds the sender back, and the sender's outbox keeps what is not yet acknowledged. So
 * nothing a contact sends is lost, and a runaway or hostile one fills the disk no faster than the rate (see
 * app/README.md, "Requests and rates").
 *
 * @param messagesPerSecond messages stored a second, once the burst is spent
 * @param messageBurst      messages stored at once, e.g. a backlog after being offline
 * @param bytesPerSecond    payload bytes stored a second, once the burst is spent
 * @param byteBurst         payload bytes stored at once
 */
public record InboundRate(double messagesPerSecond, double messageBurst, double bytesPerSecond, double byteBurst) {
    /**
     * 50 messages a second after 1,000 at once; 256 KiB a second after 8 MiB at once (4 messages of the largest size
     * a second, after 128). Nobody typing meets it, nor a contact's backlog of a day; a flood at line rate (some
     * 1,400 messages a second here) is slowed some 30 times.
     */
    public static final InboundRate DEFAULT = new InboundRate(50, 1_000, 256 * 1024, 8 * 1024 * 1024);
    /**
     * What one peer's room envelopes (pushed, or in the answers to our syncs) are stored at: 500 a second after
     * 20,000 at once, and the bytes as {@link #DEFAULT}. A member relays a whole room's backlog when another catches
     * up from it (10,000 messages are some 2 MB), which the 1:1 burst would stretch to minutes; the bytes, which fill
     * the disk, keep the 1:1 limit.
     */
    public static final InboundRate ROOM_DEFAULT = new InboundRate(500, 20_000, 256 * 1024, 8 * 1024 * 1024);
    /** No limit: for benchmarks of the delivery pipeline. */
    public static final InboundRate UNLIMITED = new InboundRate(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    public InboundRate {
        for (double value : new double[] {messagesPerSecond, messageBurst, bytesPerSecond, byteBurst}) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("rates and bursts must be above 0: " + this);
            }
        }
    }

    boolean unlimited() {
        return Double.isInfinite(messagesPerSecond) && Double.isInfinite(bytesPerSecond);
    }
}
