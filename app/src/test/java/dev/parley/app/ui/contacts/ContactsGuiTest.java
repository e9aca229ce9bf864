package dev.parley.app.ui.contacts;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.ui.OnScreen;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;
import java.awt.Window;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import org.assertj.swing.core.BasicRobot;
import org.assertj.swing.core.Robot;
import org.assertj.swing.edt.FailOnThreadViolationRepaintManager;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.assertj.swing.fixture.JButtonFixture;
import org.assertj.swing.fixture.JLabelFixture;
import org.assertj.swing.image.ScreenshotTaker;
import org.assertj.swing.timing.Condition;
import org.assertj.swing.timing.Pause;
import org.assertj.swing.timing.Timeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real windows (under Xvfb) on real engines that talk over loopback, with profiles in the test's temporary folder.
 * Screenshots go to {@code target/screenshots}.
 */
abstract class ContactsGuiTest {
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
    static final Timeout WAIT = Timeout.timeout(20, TimeUnit.SECONDS);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path temp;
    Robot robot;
    private final List<Engine> engines = new ArrayList<>();

    /** Without a display these fail rather than skip, so that a CI run without Xvfb cannot pass unnoticed. */
    @BeforeAll
    static void needsADisplay() {
        if (GraphicsEnvironment.isHeadless()) {
            throw new IllegalStateException("the contact screens' tests need a display: run them under xvfb-run");
        }
        FailOnThreadViolationRepaintManager.install();
    }

    @BeforeEach
    void lightAndRobot() {
        GuiActionRunner.execute(() -> {
            FlatLightLaf.setup();
        });
        robot = BasicRobot.robotWithNewAwtHierarchy();
    }

    @AfterEach
    void closeWindowsAndEngines() {
        robot.cleanUp();
        engines.forEach(Engine::close);
    }

    /** An engine listening on loopback only, with its own profile. */
    Engine start(String name) throws IOException {
        Engine engine = Engine.start(EngineConfig.of(temp.resolve(name), Identity.generate(), name, List.of(LOOPBACK)));
        engines.add(engine);
        return engine;
    }

    /** Each adds the other by invite code. */
    static void befriend(Engine a, Engine b) throws Exception {
        a.contacts().add(b.invite());
        b.contacts().add(a.invite());
    }

    /** A stand-in for the main window, showing {@code content}. */
    FrameFixture frameWith(Supplier<JComponent> content) {
        JFrame frame = GuiActionRunner.execute(() -> {
            JFrame window = new JFrame("Parley");
            window.setContentPane(content.get());
            return window;
        });
        FrameFixture fixture = new FrameFixture(robot, frame);
        fixture.show(new Dimension(520, 360));
        return fixture;
    }

    /** An empty main window to own dialogs. */
    JFrame owner() {
        JFrame frame = GuiActionRunner.execute(() -> new JFrame("Parley"));
        new FrameFixture(robot, frame).show();
        return frame;
    }

    /**
     * The showing label called {@code name} in {@code window}, looked up in one EDT call: a live list may rebuild its
     * rows in the middle of AssertJ Swing's own lookup (see {@link OnScreen}).
     */
    JLabelFixture label(FrameFixture window, String name) {
        return OnScreen.label(robot, window.target(), name);
    }

    /** The showing button called {@code name} in {@code window}, looked up in one EDT call: see {@link #label}. */
    JButtonFixture button(FrameFixture window, String name) {
        return OnScreen.button(robot, window.target(), name);
    }

    /** The showing component called {@code name} in {@code root}, looked up in one EDT call (see {@link OnScreen}). */
    Component named(Container root, String name) {
        return OnScreen.named(robot, root, name, Component.class);
    }

    /** Whether the component called {@code name} in {@code root} is on screen (it need not exist). */
    boolean showing(Container root, String name) {
        return GuiActionRunner.execute(() -> robot.finder()
                .findAll(root, component -> name.equals(component.getName()) && component.isShowing()).size() == 1);
    }

    /**
     * Whether a showing label called {@code name} in {@code root} reads {@code text}. A request's row can be listed
     * before its message is stored (the engine records the request first), and shows it once the message arrives.
     */
    boolean labelReads(Container root, String name, String text) {
        return GuiActionRunner.execute(() -> robot.finder()
                .findAll(root, component -> name.equals(component.getName()) && component.isShowing()
                        && component instanceof JLabel label && text.equals(label.getText())).size() == 1);
    }

    /** Waits until {@code check}, run on the EDT, holds. */
    static void until(String what, BooleanSupplier check) {
        Pause.pause(new Condition(what) {
            @Override
            public boolean test() {
                return GuiActionRunner.execute(check::getAsBoolean);
            }
        }, WAIT);
    }

    static void putOnClipboard(String text) {
        GuiActionRunner.execute(() -> {
            StringSelection selection = new StringSelection(text);
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(selection, selection);
        });
    }

    static String clipboardText() {
        return GuiActionRunner.execute(() ->
                (String) Toolkit.getDefaultToolkit().getSystemClipboard().getData(DataFlavor.stringFlavor));
    }

    /**
     * Reads the QR code that {@code component} paints, drawn on the EDT into an image of its size. Not read off the
     * screen: Xvfb has no window manager, so a window left by another test class in this JVM can lie over the
     * dialog, and then no code is found however long one waits (red in a clean-clone CI run). What the screen shows
     * is kept by {@link #screenshot} for people to look at.
     */
    String decodeQrPainted(Component component) throws Exception {
        robot.waitForIdle();
        BufferedImage image = GuiActionRunner.execute(() -> {
            BufferedImage painted = new BufferedImage(component.getWidth(), component.getHeight(),
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = painted.createGraphics();
            try {
                graphics.setColor(component.getParent().getBackground());
                graphics.fillRect(0, 0, painted.getWidth(), painted.getHeight());
                component.paint(graphics);
            } finally {
                graphics.dispose();
            }
            return painted;
        });
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }

    /** Switches every window to FlatLaf dark, as the app's theme switch does. */
    void switchToDark() {
        GuiActionRunner.execute(() -> {
            FlatDarkLaf.setup();
            FlatLaf.updateUI();
        });
        robot.waitForIdle();
    }

    /** Saves what the screen shows of {@code window} as {@code target/screenshots/<name>.png}. */
    void screenshot(Window window, String name) throws IOException {
        robot.waitForIdle();
        Files.createDirectories(SCREENSHOTS);
        BufferedImage image = new ScreenshotTaker().takeScreenshotOf(window);
        ImageIO.write(image, "png", SCREENSHOTS.resolve(name + ".png").toFile());
    }
}
