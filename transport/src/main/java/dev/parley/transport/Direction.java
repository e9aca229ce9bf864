package dev.parley.transport;

/** Who dialled: we did ({@link #OUTBOUND}) or the remote did ({@link #INBOUND}). */
public enum Direction {
    INBOUND,
    OUTBOUND
}
