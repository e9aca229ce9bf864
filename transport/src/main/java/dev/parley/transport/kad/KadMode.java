package dev.parley.transport.kad;

/**
 * How a node takes part in the DHT (spec: "Client and server mode"). A server answers queries and so must be
 * reachable; a client, e.g. one behind a NAT, only asks.
 */
public enum KadMode {
    SERVER,
    CLIENT
}
