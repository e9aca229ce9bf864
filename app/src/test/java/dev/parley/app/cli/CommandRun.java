package dev.parley.app.cli;

import dev.parley.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs parley's commands in the test's JVM and keeps what the last one printed, for the test to read. */
public final class CommandRun {
    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();

    /** Runs {@code parley args…}; returns its exit code. */
    public int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
