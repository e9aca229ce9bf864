package dev.parley.transport.dcutr;

import dev.parley.transport.multiformats.PeerId;
import java.time.Duration;

/**
 * How an upgrade of a relayed connection to {@code peer} ended.
 *
 * @param success  whether a direct connection now exists
 * @param attempts CONNECT/SYNC exchanges made (1 when we answered as the spec's A)
 * @param elapsed  from the first exchange to success or giving up
 */
public record HolePunchResult(PeerId peer, boolean success, int attempts, Duration elapsed) {
}
