package dev.parley.transport;

/** Hears connections open and close. Called on the thread that made the change; do not block in it. */
public interface ConnectionListener {
    default void connectionOpened(Connection connection) {
    }

    default void connectionClosed(Connection connection) {
    }
}
