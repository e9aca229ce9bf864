package dev.parley.app.ui.tasks;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineEvent;
import java.awt.Component;
import java.awt.event.HierarchyEvent;
import java.awt.event.HierarchyListener;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.swing.SwingUtilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves work between the EDT and the rest: anything that may block (the engine's store, network, crypto) runs on
 * a virtual thread, and its result comes back on the EDT. Engine events, which arrive on the engine's own thread,
 * are handed to Swing code on the EDT too.
 */
public final class UiTasks {
    private static final Logger log = LoggerFactory.getLogger(UiTasks.class);

    private UiTasks() {
    }

    /** Runs {@code work} off the EDT, then {@code done} with its result, or {@code failed} with its cause, on the EDT. */
    public static <T> void run(Callable<T> work, Consumer<? super T> done, Consumer<? super Throwable> failed) {
        Thread.ofVirtual().name("ui-task").start(() -> {
            T result;
            try {
                result = work.call();
            } catch (Exception | Error e) {
                Throwable cause = unwrap(e);
                log.debug("background work failed", cause);
                SwingUtilities.invokeLater(() -> failed.accept(cause));
                return;
            }
            SwingUtilities.invokeLater(() -> done.accept(result));
        });
    }

    /**
     * Subscribes {@code onEdt} to the engine's events, delivered on the EDT in the engine's order. Returns the
     * subscriber to pass to {@link Engine#unsubscribe}; components subscribe in {@code addNotify} and unsubscribe
     * in {@code removeNotify}, or let {@link #followWhileDisplayable} do it.
     */
    public static Consumer<EngineEvent> subscribeOnEdt(Engine engine, Consumer<EngineEvent> onEdt) {
        Consumer<EngineEvent> subscriber = event -> SwingUtilities.invokeLater(() -> onEdt.accept(event));
        engine.subscribe(subscriber);
        return subscriber;
    }

    /**
     * Delivers the engine's events to {@code onEdt}, on the EDT in the engine's order, while {@code component} is
     * displayable: subscribed in its {@code addNotify} (when its window is shown) and unsubscribed in its
     * {@code removeNotify} (when its window is disposed), so that a panel follows the engine for as long as it lives.
     */
    public static void followWhileDisplayable(Component component, Engine engine, Consumer<EngineEvent> onEdt) {
        component.addHierarchyListener(new HierarchyListener() {
            private Consumer<EngineEvent> subscriber;

            @Override
            public void hierarchyChanged(HierarchyEvent event) {
                if ((event.getChangeFlags() & HierarchyEvent.DISPLAYABILITY_CHANGED) == 0) {
                    return;
                }
                if (component.isDisplayable() && subscriber == null) {
                    subscriber = subscribeOnEdt(engine, onEdt);
                } else if (!component.isDisplayable() && subscriber != null) {
                    engine.unsubscribe(subscriber);
                    subscriber = null;
                }
            }
        });
    }

    /** The exception worth showing a person: the cause inside the wrappers concurrency adds. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
