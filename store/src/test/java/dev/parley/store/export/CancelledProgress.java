package dev.parley.store.export;

/** Progress whose user asked to stop before the work began. */
final class CancelledProgress implements ExportProgress {
    @Override
    public void progressed(long done, long total) {
    }

    @Override
    public boolean cancelled() {
        return true;
    }
}
