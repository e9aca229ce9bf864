package dev.parley.store;

/**
 * Version 14 is {@code V14PrefixSearch}, written on another branch at the same time as version 15; the migrator
 * needs every step from 1 up, so this empty step holds its place until the two branches meet, and the merge
 * replaces it with the real one. A file this step brought to 14 lacks nothing that later code reads.
 */
final class V14Reserved implements Migration {
    @Override
    public int version() {
        return 14;
    }

    @Override
    public void apply(SqliteSession session) {
        // Nothing: the place of V14PrefixSearch.
    }
}
