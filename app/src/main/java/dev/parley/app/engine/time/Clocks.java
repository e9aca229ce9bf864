package dev.parley.app.engine.time;

import java.time.InstantSource;

/**
 * The engine's two kinds of time, passed in so that whatever time decides can be tested without waiting for it.
 *
 * @param wall    when things happen: message times, last seen, when an address was learnt and how old a hint is; the
 *                hybrid logical clock that orders conversations builds on it
 * @param elapsed how long since something, whatever the wall clock does meanwhile: redial back-off, the typing
 *                notices' interval, pacing what a peer sends
 */
public record Clocks(InstantSource wall, MonotonicClock elapsed) {
    /** The machine's clocks. */
    public static final Clocks SYSTEM = new Clocks(InstantSource.system(), MonotonicClock.SYSTEM);
}
