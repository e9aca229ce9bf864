package dev.parley.transport.portmap;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The IPv4 default gateway, which NAT-PMP and PCP talk to, and our address towards it. Read from the kernel's
 * routing table rather than found by asking well-known router addresses: a node must not send mapping requests
 * to addresses that are not its router.
 */
record DefaultGateway(InetAddress gateway, InetAddress localAddress) {
    private static final Path ROUTES = Path.of("/proc/net/route");
    private static final int PCP_PORT = 5351;

    /** The gateway of the default route, if this system has one we can read (Linux). */
    static Optional<DefaultGateway> find() throws IOException {
        if (!Files.isReadable(ROUTES)) {
            return Optional.empty();
        }
        Optional<InetAddress> gateway = parseRoutes(Files.readAllLines(ROUTES));
        if (gateway.isEmpty()) {
            return Optional.empty();
        }
        // Connecting a datagram socket sends nothing; it only picks the source address the route uses.
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(gateway.get(), PCP_PORT));
            return Optional.of(new DefaultGateway(gateway.get(), probe.getLocalAddress()));
        }
    }

    /**
     * The gateway of the first default route in {@code /proc/net/route}'s lines: destination and mask 0, the
     * gateway flag set, addresses as 8 hex digits in the kernel's (little-endian) byte order.
     */
    static Optional<InetAddress> parseRoutes(List<String> lines) {
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 8 || !fields[1].equals("00000000") || !fields[7].equals("00000000")) {
                continue;
            }
            int flags;
            long value;
            try {
                flags = Integer.parseInt(fields[3], 16);
                value = Long.parseLong(fields[2], 16);
            } catch (NumberFormatException malformed) {
                continue;
            }
            boolean up = (flags & 0x1) != 0;
            boolean viaGateway = (flags & 0x2) != 0;
            if (!up || !viaGateway) {
                continue;
            }
            byte[] address = {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
            try {
                return Optional.of(InetAddress.getByAddress(address));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return Optional.empty();
    }
}
