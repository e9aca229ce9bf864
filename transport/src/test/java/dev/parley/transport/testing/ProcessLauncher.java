package dev.parley.transport.testing;

import java.io.IOException;

/** Starts a test peer's process: here, or inside a {@link NetworkLab} host ({@link NetworkLab#launcherIn}). */
@FunctionalInterface
public interface ProcessLauncher {
    /** Starts processes on this machine's own network. */
    ProcessLauncher LOCAL = ProcessBuilder::start;

    Process start(ProcessBuilder command) throws IOException;
}
