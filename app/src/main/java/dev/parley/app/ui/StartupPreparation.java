package dev.parley.app.ui;

import dev.parley.app.ui.emoji.Emoji;
import dev.parley.crypto.IdentityFiles;
import dev.parley.store.SqliteStore;
import java.awt.GraphicsEnvironment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The desktop app's start as far as it does not depend on the command line, begun before the command line is read
 * (the window's start waits for each of these in turn otherwise): Tink's algorithms and SQLite's native library,
 * which the keys and the history need, on one thread; the installed fonts, the colour emoji font and the window's
 * icons on another. Each is cached where the start later asks for it, so none is done twice.
 */
public final class StartupPreparation {
    private static final AtomicBoolean BEGUN = new AtomicBoolean();

    private StartupPreparation() {
    }

    /** Begins the preparation on two daemon threads; later calls do nothing. */
    public static void begin() {
        if (!BEGUN.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("prepare-keys-and-history").start(() -> {
            IdentityFiles.prepare();
            SqliteStore.prepare();
            StartupTrace.reached("keys and history prepared");
        });
        Thread.ofPlatform().daemon().name("prepare-fonts").start(() -> {
            // FlatLaf's heading fonts ask which families exist, the first look at the installed fonts.
            GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
            // Read here rather than on the EDT by the first text with an emoji (the composer's button has one).
            Emoji.preload();
            AppIcon.forWindows();
            StartupTrace.reached("fonts and icons prepared");
        });
    }
}
