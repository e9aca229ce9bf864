package dev.parley.transport.mdns;

import java.io.IOException;

/**
 * A packet that is not a well-formed DNS message within {@link DnsCodec}'s limits. The message names the
 * offending offset or count. mDNS drops such a packet and goes on serving.
 */
final class DnsFormatException extends IOException {
    DnsFormatException(String message) {
        super(message);
    }
}
