package dev.parley.app.ui;

import dev.parley.app.engine.Engine;
import dev.parley.app.node.NodeOptions;
import java.awt.Component;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JMenuItem;
import javax.swing.SwingUtilities;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.GenericTypeMatcher;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.DialogFixture;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JButtonFixture;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real window under the test's display, driven by AssertJ-Swing's robot; profiles in a temporary folder. */
abstract class WindowTest {
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path temp;

    Robot robot;

    @BeforeEach
    void startRobot() {
        robot = BasicRobot.robotWithNewAwtHierarchy();
        robot.settings().delayBetweenEvents(5);
    }

    @AfterEach
    void stopRobot() {
        robot.cleanUp();
    }

    /** Runs the app as {@code parley --profile PROFILE} does, on loopback; completes with its exit status. */
    static CompletableFuture<Integer> launch(Path profile) {
        LaunchOptions options = new LaunchOptions(profile, Optional.empty(), List.of(TestPeer.LOOPBACK), false,
                NodeOptions.lanOnly(), Optional.empty(), () -> { });
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("parley-app").start(() -> {
            try {
                exit.complete(ParleyApp.run(options));
            } catch (InterruptedException e) {
                exit.completeExceptionally(e);
            }
        });
        return exit;
    }

    /** The main window on {@code engine}, shown with its list loaded, in the light or dark theme. */
    FrameFixture openWindow(Engine engine, boolean dark) throws IOException {
        UiSettings settings = UiSettings.load(temp.resolve("window-settings"));
        MainWindow window = GuiActionRunner.execute(() -> {
            Theme.install(dark);
            MainWindow created = new MainWindow(engine, settings, () -> { });
            created.setSize(1040, 700);
            created.showAndLoad(() -> { });
            return created;
        });
        FrameFixture fixture = new FrameFixture(robot, window);
        fixture.focus();
        return fixture;
    }

    /**
     * Puts another application's window in front of {@code window}, which loses the focus (as when the user works
     * elsewhere); the caller disposes of it.
     */
    JFrame anotherApplicationInFront(FrameFixture window) {
        JFrame other = GuiActionRunner.execute(() -> {
            JFrame frame = new JFrame("another application");
            frame.setBounds(1100, 50, 300, 200);
            frame.setVisible(true);
            return frame;
        });
        new FrameFixture(robot, other).focus();
        await("the chat window has lost the focus", () -> !main(window).isFocused());
        return other;
    }

    static MainWindow main(FrameFixture fixture) {
        return (MainWindow) fixture.target();
    }

    /** Reads Swing state on the EDT. */
    static <T> T onEdt(Callable<T> read) {
        return GuiActionRunner.execute(read);
    }

    /** Waits until {@code what}, read on the EDT, holds. */
    static void await(String description, Callable<Boolean> what) {
        Pause.pause(new Condition(description) {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(what);
            }
        }, Timeout.timeout(WAIT.toMillis()));
    }

    /**
     * Waits until {@code lookup}, run on the EDT, finds something, and returns what that same EDT call found (see
     * {@link OnScreen#awaitFound}).
     */
    static <T> T awaitFound(String description, Callable<Optional<T>> lookup) {
        return OnScreen.awaitFound(description, lookup, Timeout.timeout(WAIT.toMillis()));
    }

    /**
     * Waits until {@code lookup}, run on the EDT, finds a component on screen, and returns it from that same EDT
     * call, for a robot click right after. A timeline's rows and their parts come and go as messages arrive, change,
     * are sent or page in: a part looked up before the row showed what the test waits for may be gone by the click.
     */
    static <T extends Component> T awaitShowing(String description, Callable<Optional<T>> lookup) {
        return awaitFound(description, () -> lookup.call().filter(Component::isShowing));
    }

    /** The text of the message that {@code row} finds, once on screen, for a click right after (see awaitShowing). */
    static MessageText awaitBubble(String description, Callable<Optional<MessageRow>> row) {
        return awaitShowing(description, () -> row.call().map(MessageRow::textPane));
    }

    /** The showing button called {@code name} in {@code window}, looked up in one EDT call (see {@link OnScreen}). */
    JButtonFixture button(FrameFixture window, String name) {
        return OnScreen.button(robot, window.target(), name);
    }

    /** Clicks the item called {@code name} of the menu open now, looked up in one EDT call (see {@link OnScreen}). */
    void clickMenuItem(String name) {
        robot.click(OnScreen.named(robot, name, JMenuItem.class));
        robot.waitForIdle();
    }

    /** Saves what {@code component} shows on screen as app/target/screenshots/{@code name}.png. */
    static void screenshot(Component component, String name) {
        Rectangle bounds = onEdt(() -> {
            Point at = component.getLocationOnScreen();
            return new Rectangle(at.x, at.y, component.getWidth(), component.getHeight());
        });
        try {
            BufferedImage image = new java.awt.Robot().createScreenCapture(bounds);
            Path folder = Path.of("target", "screenshots");
            Files.createDirectories(folder);
            ImageIO.write(image, "png", folder.resolve(name + ".png").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.awt.AWTException e) {
            throw new IllegalStateException("no screen to capture", e);
        }
    }

    /**
     * Presses a dialog's button as a click does. Not with the robot's mouse: after another test class's windows
     * came and went in the same JVM, Xvfb (which has no window manager) sometimes drops the robot's first click on
     * a new modal dialog.
     */
    static void press(DialogFixture dialog, String button) {
        JButton target = dialog.button(showingButton(button)).target();
        GuiActionRunner.execute(() -> target.doClick());
    }

    /**
     * Presses the button named {@code name}, which opens a modal dialog, as {@link #press} does: not with the
     * robot's mouse, whose first click on a new modal dialog Xvfb sometimes drops. Pressed later on the EDT, since
     * the dialog it opens holds the press until it closes.
     */
    static void pressToOpen(DialogFixture dialog, String name) {
        JButton target = dialog.button(name).target();
        SwingUtilities.invokeLater(target::doClick);
    }

    /** Finds the button on screen that reads {@code text}. */
    static GenericTypeMatcher<JButton> showingButton(String text) {
        return new GenericTypeMatcher<>(JButton.class) {
            @Override
            protected boolean isMatching(JButton candidate) {
                return text.equals(candidate.getText()) && candidate.isShowing();
            }
        };
    }
}
