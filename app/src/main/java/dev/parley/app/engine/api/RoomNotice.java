package dev.parley.app.engine.api;

import java.util.Optional;

/**
 * What a room's notice says happened, in parts rather than as a sentence, so that a view words it in its own language
 * ("Alice hat Bob hinzugefügt"). The names are those the reader knows now, as in {@link RoomMessage#senderName}.
 *
 * @param actorName   who made the change
 * @param subjectName the member it was made to: present exactly for {@link Kind#ADDED}, {@link Kind#REMOVED} and
 *                    {@link Kind#PROMOTED}
 * @param roomName    the name the room was given: present exactly for {@link Kind#CREATED} and {@link Kind#RENAMED}
 */
public record RoomNotice(Kind kind, String actorName, Optional<String> subjectName, Optional<String> roomName) {
    /** The membership change a notice reports. */
    public enum Kind {
        CREATED, ADDED, REMOVED, LEFT, RENAMED, PROMOTED
    }
}
