package dev.parley.app.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one blocking store call per item on virtual threads at once and collects the results in order. The
 * store's writer commits the writes waiting together in one transaction, so n writes cost a few fsyncs
 * instead of n.
 */
final class Concurrently {
    private Concurrently() {
    }

    static <T, R> List<R> map(ExecutorService virtualThreads, List<T> items, Function<T, R> work) {
        if (items.size() == 1) {
            List<R> result = new ArrayList<>(1);
            result.add(work.apply(items.getFirst()));
            return result;
        }
        List<Future<R>> futures = new ArrayList<>(items.size());
        for (T item : items) {
            futures.add(virtualThreads.submit(() -> work.apply(item)));
        }
        List<R> results = new ArrayList<>(items.size());
        try {
            for (Future<R> future : futures) {
                results.add(future.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(future -> future.cancel(true));
            throw new IllegalStateException("interrupted while waiting for the store", e);
        }
        return results;
    }
}
