package dev.parley.store.export;

/** The user stopped an export or import; no file was left behind and no history changed. */
public final class ExportCancelledException extends HistoryFileException {
    public ExportCancelledException(String message) {
        super(message);
    }
}
