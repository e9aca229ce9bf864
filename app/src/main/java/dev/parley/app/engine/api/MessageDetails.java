package dev.parley.app.engine.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a message is besides its text: what it replies to, whether it was forwarded, edited, deleted for everyone
 * (its text is then empty) or hidden on this device, its reactions, and the file it offers.
 */
public record MessageDetails(Optional<Quote> replyTo, boolean forwarded, boolean edited, boolean deleted,
                             boolean hidden, List<Reaction> reactions, Optional<FileAttachment> file) {
    public static final MessageDetails NONE = new MessageDetails(Optional.empty(), false, false, false, false,
            List.of(), Optional.empty());

    /** Details of a message that offers no file. */
    public MessageDetails(Optional<Quote> replyTo, boolean forwarded, boolean edited, boolean deleted, boolean hidden,
                          List<Reaction> reactions) {
        this(replyTo, forwarded, edited, deleted, hidden, reactions, Optional.empty());
    }

    /** How many people reacted with each emoji, in the emoji's order. */
    public Map<String, Integer> reactionCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        reactions.forEach(reaction -> counts.merge(reaction.emoji(), 1, Integer::sum));
        return counts;
    }
}
