package dev.parley.app.ui.rooms;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomNotice;

/** How the room screens put a room's lines into words in the window's language. */
public final class RoomTexts {
    private RoomTexts() {
    }

    /**
     * What a line shows: a member's message as it was written; a notice worded from its parts ("Alice hat Bob
     * hinzugefügt"), or, when it has none (an older Parley stored its English sentence), that sentence as it is.
     */
    public static String line(RoomMessage line) {
        return line.parts().map(RoomTexts::notice).orElse(line.text());
    }

    static String notice(RoomNotice notice) {
        String actor = notice.actorName();
        return switch (notice.kind()) {
            case CREATED -> text("room.notice.created", actor, notice.roomName().orElseThrow());
            case ADDED -> text("room.notice.added", actor, notice.subjectName().orElseThrow());
            case REMOVED -> text("room.notice.removed", actor, notice.subjectName().orElseThrow());
            case LEFT -> text("room.notice.left", actor);
            case RENAMED -> text("room.notice.renamed", actor, notice.roomName().orElseThrow());
            case PROMOTED -> text("room.notice.promoted", actor, notice.subjectName().orElseThrow());
        };
    }
}
