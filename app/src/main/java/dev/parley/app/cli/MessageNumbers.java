package dev.parley.app.cli;

import dev.parley.app.engine.api.MessageRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers {@code parley chat} shows messages under (#1, #2…), so that a command can name one: {@code /reply 3
 * thanks}. A message keeps its number for the session however often it is shown; numbers start at 1 each session.
 * Events and commands print from different threads, so every method takes the lock.
 */
final class MessageNumbers {
    // Locking: this
    private final List<MessageRef> messages = new ArrayList<>();
    // Locking: this
    private final Map<MessageRef, Integer> numbers = new HashMap<>();

    /** The number of {@code message}, given now if it has none. */
    synchronized int number(MessageRef message) {
        return numbers.computeIfAbsent(message, m -> {
            messages.add(m);
            return messages.size();
        });
    }

    /**
     * The message shown as #{@code number} ({@code 3} or {@code #3}).
     *
     * @throws IllegalArgumentException when no message was shown under it
     */
    synchronized MessageRef message(String number) {
        String digits = number.startsWith("#") ? number.substring(1) : number;
        int n;
        try {
            n = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + number + "' is not a message number; messages are shown as #N");
        }
        if (n < 1 || n > messages.size()) {
            throw new IllegalArgumentException("no message was shown as #" + n + (messages.isEmpty() ? " yet"
                    : "; the numbers so far are #1 to #" + messages.size()) + " (/history PEER shows more)");
        }
        return messages.get(n - 1);
    }
}
