package dev.parley.transport.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that runs a main class of the test classpath in a new JVM, like the one running the tests. */
public final class ChildJvm {
    /** Quick start-up for short-lived test peers: no tiered C2 warm-up, a small heap, the serial collector. */
    private static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    private ChildJvm() {
    }

    /** {@code java <options> -cp <this JVM's classpath> <mainClass> <arguments>}, with this JVM's java binary. */
    public static List<String> command(Class<?> mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(arguments);
        return command;
    }
}
