package dev.parley.transport.interop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the js-libp2p test peer lives and the {@code node} that runs it.
 *
 * <p>Interop tests need Node and the installed npm packages of {@code transport/src/test/js}. Where they
 * are missing a test is skipped with the reason — except under {@code CI=true}, where it fails, because CI
 * must run every test.
 */
record NodeRuntime(Path node, Path peerDirectory) {
    /** The directory of the js peer, relative to the repository root and to the transport module. */
    private static final Path FROM_ROOT = Path.of("transport", "src", "test", "js");
    private static final Path FROM_MODULE = Path.of("src", "test", "js");
    private static final String PEER_SCRIPT = "peer.mjs";

    /** Skips the calling test (or fails it under {@code CI=true}) unless Node and the js peer are ready. */
    static NodeRuntime require() {
        Path workingDirectory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Optional<Path> peerDirectory = findPeerDirectory(workingDirectory);
        Optional<Path> node = findOnPath("node");
        String missing;
        if (peerDirectory.isEmpty()) {
            missing = "no " + FROM_ROOT.resolve(PEER_SCRIPT) + " in or above " + workingDirectory;
        } else if (node.isEmpty()) {
            missing = "node is not on PATH (" + System.getenv("PATH") + ")";
        } else if (!Files.isDirectory(peerDirectory.get().resolve("node_modules"))) {
            missing = peerDirectory.get().resolve("node_modules") + " is missing: run `npm ci` in "
                    + peerDirectory.get();
        } else {
            return new NodeRuntime(node.get(), peerDirectory.get());
        }
        String reason = "js-libp2p interop tests need Node and the js peer: " + missing;
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true, so this is a failure: " + reason);
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable: Assumptions.abort returned");
    }

    /**
     * A process that runs one of the js scripts with the polyfill loaded, in the js peer's directory. Node 20 has a
     * global {@code WebSocket}, which {@code @libp2p/websockets} dials with, only behind a flag; Node 22 has it
     * anyway and accepts the flag.
     */
    ProcessBuilder script(String script, List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(node.toString(), "--experimental-websocket", "--import", "./polyfill.mjs", script));
        command.addAll(arguments);
        return new ProcessBuilder(command).directory(peerDirectory.toFile());
    }

    private static Optional<Path> findPeerDirectory(Path start) {
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            for (Path candidate : new Path[] {directory.resolve(FROM_MODULE), directory.resolve(FROM_ROOT)}) {
                if (Files.isRegularFile(candidate.resolve(PEER_SCRIPT))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> findOnPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
