package dev.parley.store.export;

import dev.parley.store.HistoryMessage;
import dev.parley.store.MessageActions;
import dev.parley.store.MessageKind;
import dev.parley.store.StoredMessage;
import java.util.List;
import java.util.Optional;

/**
 * A message as the formats write it: the stored one, with its sender named.
 *
 * @param extras   reply, forward, deletion, reactions (JSON version 2)
 * @param versions every version of an edited text, the original first; empty if never edited
 * @param file     the file it offers, if any (JSON version 3)
 * @param text what the text formats show: the body, or for a notice its sentence ({@link dev.parley.store.Notice});
 *             the JSON export keeps the body as it is
 */
record ExportedMessage(HistoryMessage history, String senderName, String text, MessageActions.Extras extras,
                       List<MessageActions.TextVersion> versions, Optional<ExportedAttachment> file) {
    StoredMessage stored() {
        return history.message();
    }

    boolean isNotice() {
        return stored().kind() == MessageKind.NOTICE;
    }
}
