package dev.parley.store;

/** Whether a message was written on this device or received from a peer. */
public enum Direction { INCOMING, OUTGOING }
