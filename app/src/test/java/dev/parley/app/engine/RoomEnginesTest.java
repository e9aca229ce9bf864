package dev.parley.app.engine;

import dev.parley.crypto.Identity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engines on loopback, each with its profile in a temporary folder, and bare nodes that send whatever frames a
 * test makes: what the room tests that play an attacker start, and close again after each test.
 */
abstract class RoomEnginesTest {
    @TempDir
    Path folder;
    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : started.reversed()) {
            closeable.close();
        }
    }

    TestEngine start(String name) throws Exception {
        return started(TestEngine.start(folder, name));
    }

    /** An engine whose configuration {@code tuned} changes. */
    TestEngine start(String name, UnaryOperator<EngineConfig> tuned) throws Exception {
        return started(TestEngine.start(folder, name, tuned));
    }

    /** The same profile and identity started again. */
    TestEngine restart(TestEngine stopped) throws Exception {
        return started(stopped.restart());
    }

    /** A member's node closed for good: what it held stays readable in its store. */
    void stop(AutoCloseable member) throws Exception {
        member.close();
        started.remove(member);
    }

    /** A bare node under {@code identity}, connected to each of {@code dialling}. */
    RecordingPeer recorder(Identity identity, TestEngine... dialling) throws Exception {
        RecordingPeer recorder = started(new RecordingPeer(identity));
        for (TestEngine engine : dialling) {
            recorder.dial(engine.engine.listenAddresses().getFirst());
        }
        return recorder;
    }

    private <T extends AutoCloseable> T started(T closeable) {
        started.add(closeable);
        return closeable;
    }
}
