package dev.parley.app.engine.api;

import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;

/**
 * A message that matched a search: whose conversation it is in, whether we wrote it ({@code outgoing}) or the peer
 * did, and the matching part of its text.
 */
public record SearchResult(PeerId peer, MessageId id, long hlc, boolean outgoing, Snippet snippet) {
    /**
     * An excerpt of the message around the words that matched: the message's own text (with "…" where it was cut),
     * and which ranges of it matched, so a view can style them without parsing markup.
     */
    public record Snippet(String text, List<Highlight> highlights) {
        public Snippet {
            highlights = List.copyOf(highlights);
        }

        /** Characters {@code [start, end)} of the snippet's text matched the search. */
        public record Highlight(int start, int end) {
        }
    }
}
