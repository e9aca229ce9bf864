package dev.parley.store.export;

import java.util.Locale;

/**
 * The one spelling the profile stores for the ids a history file names: message ids and people (PeerIds). The store
 * compares ids as text, and a file can write a held id another way (capital hex digits, another form of a PeerId)
 * that the app reads as the same id; stored, it would be a second row of a held message, with whatever text the file
 * gives it (a text deleted for everyone, say). So {@link HistoryImporter} skips, with a warning, every message whose
 * id or sender is not spelt so, and drops a reply link, reaction or receipt that names someone or something not
 * spelt so.
 */
public interface IdSpelling {
    /**
     * What the store can tell without knowing the app's ids: an id written in hex digits is written in lowercase
     * ones, as every Parley writes them. The app passes its own, exact spelling.
     */
    IdSpelling HEX_IN_LOWERCASE = new IdSpelling() {
        @Override
        public boolean isMessageId(String id) {
            return !id.chars().allMatch(digit -> Character.digit(digit, 16) >= 0)
                    || id.equals(id.toLowerCase(Locale.ROOT));
        }

        @Override
        public boolean isPeer(String peer) {
            return true;
        }
    };

    /** Whether {@code id} is a message id, spelt as the profile stores message ids. */
    boolean isMessageId(String id);

    /** Whether {@code peer} names a person, spelt as the profile stores people. */
    boolean isPeer(String peer);
}
