package dev.parley.transport.memory;

/**
 * What a {@link MemoryBudget} counts at one moment: tests compare a snapshot taken after an attack with one from
 * before it.
 *
 * @param reservedBytes bytes reserved at the node level, all peers together
 * @param peers         peers with at least one open connection scope
 * @param connections   open connection scopes
 * @param streams       open stream scopes
 * @param refusals      reservations refused since the budget was made
 */
public record MemorySnapshot(long reservedBytes, int peers, int connections, int streams, long refusals) {
}
