package dev.parley.store;

/**
 * Counters of the writer since the store was opened.
 *
 * @param commits      transactions committed (each one fsync of the write-ahead log)
 * @param writes       write operations completed, successful or not
 * @param largestBatch the most write operations one transaction carried
 */
public record StoreStats(long commits, long writes, int largestBatch) {
}
