package dev.parley.app.lab;

import dev.parley.app.mailbox.InvalidMailboxCodeException;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code parley mailbox} in a child JVM on a lab host, for the owners that paste its pairing code. */
final class LabMailbox {
    private static final String PAIRING_LINE = "pairing code: ";

    private final PairingCode pairingCode;

    private LabMailbox(PairingCode pairingCode) {
        this.pairingCode = pairingCode;
    }

    /**
     * Starts a mailbox on {@code host}, listening on {@link LabChat#PORT}, with {@code extraArgs} (the lab's
     * bootstrap peers and relays), and waits for its READY.
     */
    static LabMailbox start(NetworkLab lab, LabHost host, Path profile, String... extraArgs) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("mailbox", "--profile", profile.toString(),
                "--listen", host.tcpMultiaddr(LabChat.PORT)));
        arguments.addAll(List.of(extraArgs));
        List<String> printed = LabRelay.runUntilReady(lab, host, arguments);
        String line = printed.stream().filter(printedLine -> printedLine.startsWith(PAIRING_LINE)).findFirst()
                .orElseThrow(() -> new IOException("parley mailbox printed no pairing code: " + printed));
        try {
            return new LabMailbox(PairingCode.parse(line.substring(PAIRING_LINE.length())));
        } catch (InvalidMailboxCodeException e) {
            throw new IOException("parley mailbox printed a pairing code that does not parse: " + line, e);
        }
    }

    /** What an owner pastes, with the addresses the mailbox printed. */
    PairingCode pairingCode() {
        return pairingCode;
    }
}
