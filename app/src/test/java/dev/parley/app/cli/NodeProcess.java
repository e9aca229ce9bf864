package dev.parley.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.app.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code parley node} (or {@code parley relay}) child process on this test's class path, read up to READY. */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> addresses = new ArrayList<>();

    NodeProcess(Path profile, String... extraArgs) throws IOException {
        this("node", profile, extraArgs);
    }

    NodeProcess(String subcommand, Path profile, String... extraArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                subcommand, "--profile", profile.toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", "none"));
        command.addAll(List.of(extraArgs));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = process.inputReader(UTF_8);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("READY")) {
                return;
            }
            addresses.add(line);
        }
        process.destroyForcibly();
        throw new IOException("parley " + subcommand + " ended before READY; it printed " + addresses);
    }

    List<String> addresses() {
        return addresses;
    }

    Process process() {
        return process;
    }

    /** Closes standard input, which asks the node to stop; returns its exit code. */
    int endInput() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IOException("parley node did not stop within 20 s of the end of its input");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        stop(process);
    }

    /**
     * Asks a child Parley to stop and kills it after 10 s; an interrupt while waiting kills it at once and is kept
     * for the caller to see.
     */
    static void stop(Process child) {
        child.destroy();
        try {
            if (child.waitFor(10, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        child.destroyForcibly();
    }
}
