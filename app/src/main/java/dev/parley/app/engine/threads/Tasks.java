package dev.parley.app.engine.threads;

/**
 * Where a part of the engine starts a thread of work: the engine's own threads ({@link EngineThreads}), which closing
 * the engine interrupts and waits for, or in a unit test, plain threads.
 */
@FunctionalInterface
public interface Tasks {
    /**
     * Runs {@code task} on a thread of its own named {@code name} and returns the thread, which its caller may
     * interrupt and join; it comes back unstarted if the engine is closing.
     */
    Thread start(String name, Runnable task);
}
