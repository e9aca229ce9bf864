package dev.parley.app.cli;

import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.app.profile.ProfileLock;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley node}: a headless node. Scripts and tests rely on its output: one listen multiaddr a line,
 * each ending in {@code /p2p/<PeerId>}, then {@code READY}. It runs until SIGTERM or the end of standard input.
 */
@Command(name = "node", description = "Run a headless node until SIGTERM or end of input.")
final class NodeCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--perf", description = "Serve the libp2p perf protocol (lets peers make this node send data).")
    boolean perf;

    @Option(names = "--relay-service", description = "Serve as a circuit relay for anyone, within default limits.")
    boolean relayService;

    @Override
    public Integer call() throws IOException {
        return run(parent, parent.common.nodeOptions(perf, relayService));
    }

    /**
     * Runs a node with {@code options} until SIGTERM or the end of standard input, printing its addresses and
     * {@code READY} once it listens.
     */
    static int run(ParleyCommand parent, NodeOptions options) throws IOException {
        ProfileLock lock = parent.common.lockProfile();
        try (lock) {
            return runLocked(parent, options);
        }
    }

    private static int runLocked(ParleyCommand parent, NodeOptions options) throws IOException {
        CommonOptions common = parent.common;
        Node node = new Node(common.identity().transportKey(), options);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
        PrintWriter out = parent.spec.commandLine().getOut();
        List<Multiaddr> addresses = node.listen(common.listenAddresses());
        common.profile().setLastAddresses(addresses);
        node.goOnline();
        for (Multiaddr address : addresses) {
            out.println(address);
        }
        out.println("READY");
        out.flush();
        System.in.transferTo(OutputStream.nullOutputStream());
        node.close();
        return 0;
    }
}
