package dev.parley.store.export;

/**
 * Hears how far an export or import has come, and may stop it. Called on the thread doing the work, every few
 * hundred messages: keep it quick.
 */
public interface ExportProgress {
    ExportProgress NONE = (done, total) -> { };

    /**
     * {@code done} of {@code total} units are through: messages for an export, bytes of the file for an import.
     */
    void progressed(long done, long total);

    /** Whether the user asked to stop; the work then ends with an {@link ExportCancelledException}. */
    default boolean cancelled() {
        return Thread.currentThread().isInterrupted();
    }
}
