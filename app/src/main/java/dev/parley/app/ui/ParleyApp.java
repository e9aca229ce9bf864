package dev.parley.app.ui;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.profile.PassphrasePrompt;
import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileInUseException;
import dev.parley.app.profile.ProfileLock;
import dev.parley.app.ui.tasks.UiTasks;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityFiles;
import dev.parley.crypto.KeyFileException;
import dev.parley.transport.mdns.MdnsConfig;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app from start to end: takes the profile's lock (a second start on the same profile says Parley runs
 * already and exits), installs the theme, creates or unlocks the profile, starts the engine off the EDT with the
 * command line's options, shows the {@link MainWindow}, and closes the engine when the window closes.
 */
public final class ParleyApp {
    private static final Logger log = LoggerFactory.getLogger(ParleyApp.class);

    private final LaunchOptions options;
    private final Profile profile;
    private final UiSettings settings;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private Engine engine;

    private ParleyApp(LaunchOptions options, Profile profile, UiSettings settings) {
        this.options = options;
        this.profile = profile;
        this.settings = settings;
    }

    /**
     * Runs the app and returns its exit code once the window is closed: 0, or 1 when it could not start. Call it
     * from the main thread (it blocks), with a display.
     */
    public static int run(LaunchOptions options) throws InterruptedException {
        StartupTrace.reached("command line read");
        Profile profile = new Profile(options.profileDirectory());
        ProfileLock lock;
        try {
            lock = profile.lock();
        } catch (ProfileInUseException e) {
            return alreadyRunning(e);
        } catch (IOException e) {
            return failBeforeWindow(text("start.profileUnopened", profile.directory(), e.getMessage()));
        }
        try {
            return run(options, profile);
        } finally {
            // After the engine has closed (run returns only then), so that the next holder finds the history shut.
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("the profile lock {} could not be released: {}", lock.file(), e.getMessage());
            }
        }
    }

    private static int run(LaunchOptions options, Profile profile) throws InterruptedException {
        // Begun already when Main saw that the command line opens the window; not when a test calls this.
        StartupPreparation.begin();
        UiSettings settings;
        boolean firstRun;
        boolean locked;
        try {
            settings = UiSettings.load(profile.directory());
            firstRun = profile.storedPeerId().isEmpty();
            locked = !firstRun && options.passphraseFile().isEmpty()
                    && IdentityFiles.isPassphraseProtected(profile.directory());
        } catch (IOException | KeyFileException | IllegalArgumentException e) {
            return failBeforeWindow(text("start.profileUnreadable", profile.directory(), e.getMessage()));
        }
        settings.language().apply();
        ParleyApp app = new ParleyApp(options, profile, settings);
        CompletableFuture<Started> starting = firstRun || locked ? null : app.startInBackground();
        boolean dark = settings.theme().dark();
        StartupTrace.reached("theme chosen");
        SwingUtilities.invokeLater(() -> app.begin(dark, firstRun, starting));
        try {
            return app.exit.get();
        } catch (ExecutionException e) {
            log.error("the desktop app failed", e.getCause());
            return 1;
        }
    }

    /**
     * A second start on a profile that a running Parley holds: says so in a dialog (and on the terminal it was
     * started from), then exits, leaving the profile alone.
     */
    private static int alreadyRunning(ProfileInUseException e) throws InterruptedException {
        System.err.println("parley: " + e.getMessage());
        String message = e.pid().isPresent() ? text("start.alreadyRunning", String.valueOf(e.pid().getAsLong()),
                e.directory())
                : text("start.alreadyRunning.noPid", e.directory());
        showError(text("start.alreadyRunning.title"), message);
        return 1;
    }

    private static int failBeforeWindow(String message) throws InterruptedException {
        showError(text("start.failed.title"), message);
        return 1;
    }

    private static void showError(String title, String message) throws InterruptedException {
        try {
            SwingUtilities.invokeAndWait(() -> {
                Theme.install(false);
                JOptionPane.showMessageDialog(null, message, title, JOptionPane.ERROR_MESSAGE);
            });
        } catch (InvocationTargetException e) {
            log.error("could not show why Parley cannot start: {}", message, e.getCause());
        }
    }

    /**
     * Opens the keys and starts the engine while the EDT installs the theme: a profile that needs no dialog goes
     * straight to the window.
     */
    private CompletableFuture<Started> startInBackground() {
        CompletableFuture<Started> started = new CompletableFuture<>();
        Thread.ofVirtual().name("parley-start").start(() -> {
            try {
                Identity identity = profile.loadOrCreateIdentity(options.passphraseFile().orElse(PassphrasePrompt.NONE));
                StartupTrace.reached("keys read");
                Started booted = boot(identity);
                StartupTrace.reached("engine started");
                started.complete(booted);
            } catch (Exception | Error e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /** On the EDT: the theme, then the window once {@code starting} is done, or first the dialog the profile needs. */
    private void begin(boolean dark, boolean firstRun, CompletableFuture<Started> starting) {
        StartupTrace.reached("EDT running");
        Theme.install(dark);
        StartupTrace.reached("theme installed");
        if (starting != null) {
            starting.whenComplete((started, failure) -> SwingUtilities.invokeLater(() -> {
                if (failure == null) {
                    showWindow(started);
                } else {
                    fatal(text("start.failedWithProfile", profile.directory(),
                            UiTasks.unwrap(failure).getMessage()));
                }
            }));
        } else if (firstRun) {
            FirstRunDialog welcome = new FirstRunDialog(profile, options.name());
            welcome.setVisible(true);
            welcome.identity().ifPresentOrElse(this::startEngine, () -> exit.complete(0));
        } else {
            UnlockDialog unlock = new UnlockDialog(profile);
            unlock.setVisible(true);
            unlock.identity().ifPresentOrElse(this::startEngine, () -> exit.complete(0));
        }
    }

    /** The listen addresses and LAN discovery choice as the command line and the settings say. */
    private record Network(List<Multiaddr> listen, boolean fromSettings) {
    }

    private Network network() {
        if (!options.listenAddresses().isEmpty()) {
            return new Network(options.listenAddresses(), false);
        }
        return new Network(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/" + settings.listenPort())),
                settings.listenPort() != 0);
    }

    private void startEngine(Identity identity) {
        UiTasks.run(() -> boot(identity), this::showWindow,
                failure -> fatal(text("start.failed", failure.getMessage())));
    }

    /** Starts the engine and LAN discovery for {@code identity}; off the EDT. */
    private Started boot(Identity identity) throws IOException {
        if (options.name().isPresent()) {
            profile.setDisplayName(options.name().get());
        }
        Started started = start(identity, network());
        if (options.lanDiscovery() && settings.lanDiscovery()) {
            try {
                started.engine().nearby().startLanDiscovery(MdnsConfig.defaults());
            } catch (IOException e) {
                return started.withNotice(text("start.noLanDiscovery", e.getMessage()));
            }
        }
        return started;
    }

    private record Started(Engine engine, Optional<String> notice) {
        Started withNotice(String text) {
            return new Started(engine, Optional.of(notice.map(n -> n + "\n").orElse("") + text));
        }
    }

    /** Starts the engine; a port from the settings that is taken gives way to any free port, with a notice. */
    private Started start(Identity identity, Network network) throws IOException {
        EngineConfig config = EngineConfig.of(profile.directory(), identity, profile.displayName(), network.listen())
                .withNetwork(options.network());
        try {
            return new Started(Engine.start(config), Optional.empty());
        } catch (IOException e) {
            if (!network.fromSettings()) {
                throw e;
            }
            Engine fallback = Engine.start(EngineConfig.of(profile.directory(), identity, profile.displayName(),
                    List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"))).withNetwork(options.network()));
            return new Started(fallback, Optional.of(text("start.portTaken", String.valueOf(settings.listenPort()),
                    e.getMessage())));
        }
    }

    private void showWindow(Started started) {
        engine = started.engine();
        StartupTrace.reached("window being built");
        MainWindow window = new MainWindow(engine, settings, this::windowClosed);
        StartupTrace.reached("window built");
        window.showAndLoad(() -> {
            StartupTrace.reached("conversations listed");
            options.onWindowReady().run();
        });
        StartupTrace.reached("window shown");
        started.notice().ifPresent(window::showNotice);
    }

    /** Saves the settings and closes the engine, off the EDT; then {@link #run} returns. */
    private void windowClosed() {
        Engine running = engine;
        Thread.ofPlatform().name("parley-shutdown").start(() -> {
            try {
                settings.save();
            } catch (IOException e) {
                log.warn("the window settings could not be saved in {}: {}", settings.file(), e.getMessage());
            }
            running.close();
            exit.complete(0);
        });
    }

    private void fatal(String message) {
        JOptionPane.showMessageDialog(null, message, text("start.failed.title"), JOptionPane.ERROR_MESSAGE);
        exit.complete(1);
    }
}
