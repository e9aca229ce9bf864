package dev.parley.store;

/**
 * What an import changed: conversations new to the profile and those it already had (their messages merged in),
 * messages stored and messages it already held (an import is idempotent: the second time, all are held), and of the
 * files the messages it stored offer, those it brought back whole and those left to fetch again (no right copy
 * beside the export).
 */
public record ImportCounts(int conversationsAdded, int conversationsMerged, long messagesAdded,
                           long messagesAlreadyHeld, int filesBrought, int filesToFetch) {
    /** Counts of messages only, before any file is looked at. */
    public ImportCounts(int conversationsAdded, int conversationsMerged, long messagesAdded, long messagesAlreadyHeld) {
        this(conversationsAdded, conversationsMerged, messagesAdded, messagesAlreadyHeld, 0, 0);
    }

    /** These counts with the files of the stored messages counted. */
    public ImportCounts withFiles(int brought, int toFetch) {
        return new ImportCounts(conversationsAdded, conversationsMerged, messagesAdded, messagesAlreadyHeld, brought,
                toFetch);
    }
}
