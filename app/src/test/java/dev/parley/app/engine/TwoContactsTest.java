package dev.parley.app.engine;

import dev.parley.app.engine.time.Clocks;
import dev.parley.app.engine.time.SteppingClock;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alice and Bob: engines on loopback with profiles in the test's temporary folder, contacts of each other. Alice's
 * elapsed time is a clock the test can move on.
 */
abstract class TwoContactsTest {
    @TempDir
    Path temp;

    TestEngine alice;
    TestEngine bob;
    /** Alice's elapsed time: the machine's until a test moves it on. */
    final SteppingClock aliceElapsed = new SteppingClock();

    @BeforeEach
    void startAliceAndBob() throws Exception {
        alice = TestEngine.start(temp, "Alice", new Clocks(InstantSource.system(), aliceElapsed));
        bob = TestEngine.start(temp, "Bob");
        TestEngine.befriend(alice, bob);
    }

    @AfterEach
    void stopAliceAndBob() {
        alice.close();
        bob.close();
    }
}
