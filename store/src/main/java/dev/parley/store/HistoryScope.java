package dev.parley.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Which part of the history an export covers: every conversation or one, all of time or the messages sent in
 * [{@code since}, {@code until}), with or without the system lines (room notices).
 */
public record HistoryScope(Optional<String> conversationId, Optional<Instant> since, Optional<Instant> until,
                           boolean systemLines) {
    public HistoryScope {
        Check.present("conversation", conversationId);
        Check.present("since", since);
        Check.present("until", until);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new InvalidInputException("the time range is empty: " + since.get() + " is not before "
                    + until.get());
        }
    }

    /** Every message of every conversation, system lines included. */
    public static HistoryScope everything() {
        return new HistoryScope(Optional.empty(), Optional.empty(), Optional.empty(), true);
    }

    public HistoryScope onlyConversation(String id) {
        return new HistoryScope(Optional.of(Check.id("conversation id", id)), since, until, systemLines);
    }

    public HistoryScope between(Optional<Instant> from, Optional<Instant> to) {
        return new HistoryScope(conversationId, from, to, systemLines);
    }

    public HistoryScope withSystemLines(boolean included) {
        return new HistoryScope(conversationId, since, until, included);
    }

    /** Whether the scope leaves out messages by time; then conversations with none in range are left out too. */
    public boolean limitedInTime() {
        return since.isPresent() || until.isPresent();
    }

    long fromMillis() {
        return since.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
    }

    long untilMillis() {
        return until.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
    }
}
