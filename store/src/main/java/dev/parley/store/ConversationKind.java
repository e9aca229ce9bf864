package dev.parley.store;

/** A conversation with one peer, or a group room. */
public enum ConversationKind { DIRECT, ROOM }
