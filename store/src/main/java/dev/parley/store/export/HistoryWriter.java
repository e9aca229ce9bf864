package dev.parley.store.export;

import java.io.IOException;
import java.util.List;

/**
 * One format's writer. The exporter calls {@link #begin} once with every conversation it will write, then for
 * each: {@link #conversation}, its messages oldest first, {@link #endConversation}; and {@link #end}. The writer
 * never closes the stream it was given.
 */
interface HistoryWriter {
    void begin(Person owner, List<ExportedConversation> conversations) throws IOException;

    void conversation(ExportedConversation conversation) throws IOException;

    void message(ExportedMessage message) throws IOException;

    void endConversation() throws IOException;

    void end() throws IOException;
}
