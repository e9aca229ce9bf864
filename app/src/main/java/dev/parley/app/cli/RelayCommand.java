package dev.parley.app.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley relay}: a node that serves others, as a circuit relay within default limits (and, once the DHT is
 * in, as a DHT server). Prints what {@code parley node} prints and runs as long.
 */
@Command(name = "relay", description = "Run a public relay for others until SIGTERM or end of input.")
final class RelayCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Override
    public Integer call() throws IOException {
        return NodeCommand.run(parent, parent.common.nodeOptions(false, true));
    }
}
