package dev.parley.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Reads the arguments that open the window without picocli, to start the window sooner: picocli is compiled for a
 * Java so old that the JVM's class-data sharing skips it, so its classes are loaded and verified anew on every start,
 * a quarter of a second before the window's start can begin. Only the common options ({@link CommonOptions}), in the
 * forms picocli reads ({@code --name Ada}, {@code --name=Ada}), are read here; anything else (a command, help, an
 * option of a command, a value that does not parse, a value that looks like an option or a command) is left to
 * picocli, so that its errors and help stay the only ones.
 */
public final class WindowArguments {
    private WindowArguments() {
    }

    /** The options {@code arguments} give the window, or empty when picocli should read them. */
    public static Optional<CommonOptions> read(String[] arguments) {
        CommonOptions options = new CommonOptions();
        for (int i = 0; i < arguments.length; i++) {
            String argument = arguments[i];
            if (argument.equals("--no-mdns")) {
                options.noMdns = true;
                continue;
            }
            if (!argument.startsWith("--")) {
                return Optional.empty();
            }
            int equals = argument.indexOf('=');
            String name = equals < 0 ? argument : argument.substring(0, equals);
            String value;
            if (equals >= 0) {
                value = argument.substring(equals + 1);
            } else if (i + 1 < arguments.length) {
                value = arguments[++i];
            } else {
                return Optional.empty();
            }
            if (value.startsWith("-") || ParleyCommand.isCommandName(value) || !take(options, name, value)) {
                return Optional.empty();
            }
        }
        return Optional.of(options);
    }

    /** Sets option {@code name} to {@code value} as picocli would; false for another option or a bad value. */
    private static boolean take(CommonOptions options, String name, String value) {
        try {
            switch (name) {
                case "--profile" -> options.profile = Path.of(value);
                case "--name" -> options.name = value;
                case "--passphrase-file" -> options.passphraseFile = Path.of(value);
                case "--listen" -> options.listen.add(new MultiaddrConverter().convert(value));
                case "--relay" -> options.relays.add(new MultiaddrConverter().convert(value));
                case "--bootstrap" -> {
                    if (options.bootstrap == null) {
                        options.bootstrap = new ArrayList<>();
                    }
                    options.bootstrap.add(new BootstrapConverter().convert(value));
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            // InvalidPathException, or the converters' TypeConversionException: picocli says what is wrong.
            return false;
        }
    }
}
