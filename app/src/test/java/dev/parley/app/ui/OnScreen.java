package dev.parley.app.ui;

import java.awt.Component;
import java.awt.Container;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JButton;
import javax.swing.JLabel;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.JButtonFixture;
import org.assertj.swing.fixture.JLabelFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;

/**
 * Looks components up for the GUI tests in one EDT call each, so that what is found was on screen at one moment.
 * AssertJ Swing's own lookups ({@code window.label(name)}, {@code robot.finder().findByName(...)} called from the
 * test's thread) walk the hierarchy with one EDT call per component: a list or timeline that rebuilds or replaces its
 * rows during the walk (an engine event, a reload) hides a row's parts from it. A CI run failed so, with the label
 * showing in the failure's own hierarchy dump.
 */
public final class OnScreen {
    private OnScreen() {
    }

    /** The showing {@code type} called {@code name} in {@code root}. */
    public static <T extends Component> T named(Robot robot, Container root, String name, Class<T> type) {
        return GuiActionRunner.execute(() -> robot.finder().findByName(root, name, type, true));
    }

    /** The showing {@code type} called {@code name} in any window, e.g. an item of the menu open now. */
    public static <T extends Component> T named(Robot robot, String name, Class<T> type) {
        return GuiActionRunner.execute(() -> robot.finder().findByName(name, type, true));
    }

    /** The showing label called {@code name} in {@code root}. */
    public static JLabelFixture label(Robot robot, Container root, String name) {
        return new JLabelFixture(robot, named(robot, root, name, JLabel.class));
    }

    /** The showing button called {@code name} in {@code root}. */
    public static JButtonFixture button(Robot robot, Container root, String name) {
        return new JButtonFixture(robot, named(robot, root, name, JButton.class));
    }

    /**
     * Waits until {@code lookup}, run on the EDT, finds something, and returns what that same EDT call found. Not
     * looked up a second time: a rebuild between the wait and a second lookup could replace what the wait saw.
     */
    public static <T> T awaitFound(String description, Callable<Optional<T>> lookup, Timeout timeout) {
        AtomicReference<T> found = new AtomicReference<>();
        Pause.pause(new Condition(description) {
            @Override
            public boolean test() {
                GuiActionRunner.execute(lookup).ifPresent(found::set);
                return found.get() != null;
            }
        }, timeout);
        return found.get();
    }
}
