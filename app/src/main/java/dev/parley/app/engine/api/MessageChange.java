package dev.parley.app.engine.api;

/** What happened to a message that was already shown ({@link EngineEvent.MessageChanged}). */
public enum MessageChange {
    /** Someone reacted, or took a reaction back. */
    REACTIONS,
    /** Its author changed its text. */
    EDITED,
    /** Its author deleted it for everyone: its text is gone. */
    DELETED,
    /** The user deleted it on this device only. */
    HIDDEN
}
