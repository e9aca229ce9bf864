package dev.parley.app.cli;

import dev.parley.app.node.RelayOwners;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.spi.CircuitLimit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley relay}: a node that serves others, as a circuit relay within default limits, and as a DHT server.
 * With {@code --owner}, the named owners' Parleys tell it their accepted contacts, and circuits between an owner and
 * one of them get {@code --contact-circuit-mib} for an hour (app/README.md, "A relay of your own"). Prints what
 * {@code parley node} prints and runs as long.
 */
@Command(name = "relay", description = "Run a public relay for others until SIGTERM or end of input.")
final class RelayCommand implements Callable<Integer> {
    /** A circuit's data limit is a 64-bit byte count on the wire. */
    private static final long MAX_CONTACT_CIRCUIT_MIB = Long.MAX_VALUE >> 20;

    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--owner", paramLabel = "PEERID", converter = PeerIdConverter.class,
            description = "A Parley whose contacts get the contact limit with it; repeatable.")
    List<PeerId> owners = new ArrayList<>();

    @Option(names = "--contact-circuit-mib", paramLabel = "MIB", defaultValue = "64",
            description = "MiB a circuit between an owner and its contact may carry each way (default: ${DEFAULT-VALUE}).")
    long contactCircuitMib;

    @Override
    public Integer call() throws IOException {
        if (contactCircuitMib < 1 || contactCircuitMib > MAX_CONTACT_CIRCUIT_MIB) {
            throw new IllegalArgumentException("--contact-circuit-mib must be between 1 and " + MAX_CONTACT_CIRCUIT_MIB
                    + ", not " + contactCircuitMib);
        }
        CircuitLimit contactCircuit = new CircuitLimit(RelayOwners.CONTACT_CIRCUIT.duration(), contactCircuitMib << 20);
        return NodeCommand.run(parent, parent.common.nodeOptions(false, true)
                .withRelayOwners(new RelayOwners(Set.copyOf(owners), contactCircuit)));
    }
}
