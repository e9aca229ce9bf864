package dev.parley.app.engine.api;

/**
 * What a notice line of a 1:1 conversation says happened, rather than a sentence, so that a view words it in its own
 * language ("Sichere Sitzung erneuert"); the message's text is the English sentence, for the command line.
 */
public enum ChatNotice {
    /**
     * A new secure session with the contact replaced one that no longer worked (a restore on a new machine, a damaged
     * session); the safety number did not change.
     */
    SESSION_RENEWED
}
