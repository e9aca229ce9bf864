package dev.parley.app.ui;

import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Alice uses the window, light, with Bob in her list; Bob is an engine on loopback and her contact. */
abstract class AliceAndBobWindowTest extends WindowTest {
    TestPeer alice;
    TestPeer bob;
    FrameFixture window;

    /** Bob's display name; a test may give him another. */
    String bobsName() {
        return "Bob";
    }

    @BeforeEach
    void aliceAndBob() throws Exception {
        alice = TestPeer.start(temp, "Alice");
        bob = TestPeer.start(temp, bobsName());
        TestPeer.befriend(alice, bob);
        window = openWindow(alice.engine(), false);
        await("Bob listed", () -> main(window).conversationList().model().getSize() == 1);
    }

    @AfterEach
    void stopEngines() {
        alice.close();
        bob.close();
    }
}
