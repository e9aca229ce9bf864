package dev.parley.app.lab;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.app.Main;
import dev.parley.transport.testing.ChildJvm;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code parley relay} in a child JVM on a lab host: a circuit relay, DHT server and AutoNAT server for others. */
final class LabRelay {
    private final String address;

    private LabRelay(String address) {
        this.address = address;
    }

    /**
     * Starts a relay on {@code host}, listening on {@link LabChat#PORT}, joining the DHT through {@code bootstrap}
     * (the lab's other relays; none for the first), and waits for its READY.
     */
    static LabRelay start(NetworkLab lab, LabHost host, Path profile, List<LabRelay> bootstrap) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("relay", "--profile", profile.toString(),
                "--listen", host.tcpMultiaddr(LabChat.PORT)));
        if (bootstrap.isEmpty()) {
            arguments.addAll(List.of("--bootstrap", "none"));
        }
        bootstrap.forEach(relay -> arguments.addAll(List.of("--bootstrap", relay.address())));
        return new LabRelay(runUntilReady(lab, host, arguments).getFirst());
    }

    /**
     * Runs the headless Parley command {@code arguments} on {@code host} and returns what it printed before
     * {@code READY}; it runs on until the lab closes.
     */
    static List<String> runUntilReady(NetworkLab lab, LabHost host, List<String> arguments) throws IOException {
        Process process = lab.start(host, new ProcessBuilder(ChildJvm.command(Main.class, arguments))
                .redirectError(ProcessBuilder.Redirect.DISCARD));
        BufferedReader out = process.inputReader(UTF_8);
        List<String> printed = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("READY")) {
                return printed;
            }
            printed.add(line);
        }
        throw new IOException("parley " + arguments.getFirst() + " on " + host + " ended before READY; it printed "
                + printed);
    }

    /** Its address, ending in {@code /p2p/<PeerId>}. */
    String address() {
        return address;
    }
}
