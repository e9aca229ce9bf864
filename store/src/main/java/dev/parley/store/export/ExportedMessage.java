package dev.parley.store.export;

import dev.parley.store.HistoryMessage;
import dev.parley.store.MessageKind;
import dev.parley.store.StoredMessage;

/** A message as the formats write it: the stored one, with its sender named. */
record ExportedMessage(HistoryMessage history, String senderName) {
    StoredMessage stored() {
        return history.message();
    }

    boolean isNotice() {
        return stored().kind() == MessageKind.NOTICE;
    }
}
