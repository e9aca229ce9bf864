package dev.parley.transport.interop;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/** The last lines a process wrote, kept for failure messages; older lines are dropped. */
final class OutputTail {
    private final int maxLines;
    private final Deque<String> lines = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private long dropped;

    OutputTail(int maxLines) {
        this.maxLines = maxLines;
    }

    void add(String line) {
        lock.lock();
        try {
            if (lines.size() == maxLines) {
                lines.removeFirst();
                dropped++;
            }
            lines.addLast(line);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            if (lines.isEmpty()) {
                return "(nothing)";
            }
            String kept = String.join("\n", lines);
            return dropped == 0 ? kept : "(" + dropped + " earlier lines dropped)\n" + kept;
        } finally {
            lock.unlock();
        }
    }
}
