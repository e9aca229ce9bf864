package dev.parley.app.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Runs one blocking store call per item on the engine's tasks at once and collects the results in order. The
 * store's writer commits the writes waiting together in one transaction, so n writes cost a few fsyncs
 * instead of n.
 */
final class Concurrently {
    private Concurrently() {
    }

    static <T, R> List<R> map(Executor tasks, List<T> items, Function<T, R> work) {
        if (items.size() == 1) {
            List<R> result = new ArrayList<>(1);
            result.add(work.apply(items.getFirst()));
            return result;
        }
        List<CompletableFuture<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(CompletableFuture.supplyAsync(() -> work.apply(item), tasks));
        }
        List<R> results = new ArrayList<>(items.size());
        try {
            for (CompletableFuture<R> future : futures) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            // The calls already started finish on their own: a store write is not abandoned half way.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the store", e);
        }
        return results;
    }
}
