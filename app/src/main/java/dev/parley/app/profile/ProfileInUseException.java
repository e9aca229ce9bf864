package dev.parley.app.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Another process holds the profile ({@link ProfileLock}): a second Parley on the same profile would answer the
 * same contacts as the same PeerId and write the same history, so it stops before touching anything.
 */
public final class ProfileInUseException extends IOException {
    private final Path directory;
    private final OptionalLong pid;

    ProfileInUseException(Path directory, OptionalLong pid) {
        super(runningText(pid) + " in " + directory + "; quit it first, or pass --profile DIR for another profile");
        this.directory = directory;
        this.pid = pid;
    }

    /** "Parley is already running with this profile (PID 1234)": the line to show, without advice. */
    public static String runningText(OptionalLong pid) {
        return "Parley is already running with this profile (PID "
                + (pid.isPresent() ? String.valueOf(pid.getAsLong()) : "unknown") + ")";
    }

    public Path directory() {
        return directory;
    }

    /** The holder's process id, when it could be read from the lock file. */
    public OptionalLong pid() {
        return pid;
    }
}
