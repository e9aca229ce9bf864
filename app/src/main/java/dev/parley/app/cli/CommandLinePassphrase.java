package dev.parley.app.cli;

import dev.parley.app.profile.PassphrasePrompt;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * How the command line gets a passphrase: from the file named by {@code fileOption}, if given (for scripts; a file, because a
 * passphrase in the arguments would show in every process listing), otherwise by asking on the terminal
 * without echo.
 */
record CommandLinePassphrase(Path file, String fileOption) implements PassphrasePrompt {
    @Override
    public char[] passphraseFor(Path locked) throws IOException {
        if (file != null) {
            return firstLine(file);
        }
        Console console = terminal(locked + " is protected by a passphrase; give it with " + fileOption
                + " FILE, or run parley in a terminal to be asked");
        char[] typed = console.readPassword("Passphrase for %s: ", locked);
        if (typed == null) {
            throw new IOException("no passphrase was typed for " + locked);
        }
        return typed;
    }

    /** A new passphrase: from the file if named, else typed twice on the terminal so a typo cannot lock anyone out. */
    char[] newPassphrase(String what) throws IOException {
        if (file != null) {
            return firstLine(file);
        }
        Console console = terminal("no terminal to ask for the " + what + " on; name a file that holds it with "
                + fileOption + " FILE");
        char[] first = console.readPassword("New %s: ", what);
        char[] second = console.readPassword("The same %s again: ", what);
        if (first == null || second == null || !Arrays.equals(first, second)) {
            throw new IOException("the two " + what + "s typed differ; nothing was changed");
        }
        Arrays.fill(second, '\0');
        return first;
    }

    private static Console terminal(String errorWithout) throws IOException {
        Console console = System.console();
        if (console == null) {
            throw new IOException(errorWithout);
        }
        return console;
    }

    private static char[] firstLine(Path file) throws IOException {
        List<String> lines;
        try {
            if (Files.isDirectory(file)) {
                throw new IOException("it is a folder, not a file");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the passphrase file " + file + ": " + FileErrors.reason(e), e);
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("the passphrase file " + file + " is empty");
        }
        return lines.get(0).toCharArray();
    }
}
