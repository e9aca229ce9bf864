package dev.parley.app.engine;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Alice and Bob: engines on loopback with profiles in the test's temporary folder, contacts of each other. */
abstract class TwoContactsTest {
    @TempDir
    Path temp;

    TestEngine alice;
    TestEngine bob;

    @BeforeEach
    void startAliceAndBob() throws Exception {
        alice = TestEngine.start(temp, "Alice");
        bob = TestEngine.start(temp, "Bob");
        TestEngine.befriend(alice, bob);
    }

    @AfterEach
    void stopAliceAndBob() {
        alice.close();
        bob.close();
    }
}
