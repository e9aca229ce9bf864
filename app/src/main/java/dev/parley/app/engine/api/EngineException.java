package dev.parley.app.engine.api;

import java.util.List;

/**
 * A request the engine cannot carry out as asked, said so the user can act on it: which peer, which code, what
 * to do instead. Nothing was changed. A {@link StorageFailedException} says the profile's storage failed under the
 * request.
 *
 * <p>The message is English, for the command line and the log. A window that speaks another language words the
 * failure itself from its {@link #problem()} and {@link #details()}, never by reading the message.
 */
public class EngineException extends Exception {
    /**
     * What went wrong, for the failures a user can meet; {@link #details()} holds what each one's sentence names, in
     * the order given here.
     */
    public enum Problem {
        /** Any other failure: only the message says it. */
        OTHER,
        /** The invite code is the user's own. */
        OWN_INVITE_CODE,
        /** The contact (name) wrote first and is still a request. */
        CONTACT_IS_A_REQUEST,
        /** The contact (name) is blocked. */
        CONTACT_BLOCKED,
        /** The peer (name) is not an accepted contact. */
        NOT_AN_ACCEPTED_CONTACT,
        /** A display name or room name breaks the rules: at most (max characters), not blank, no control characters. */
        UNUSABLE_NAME,
        /** The message is empty. */
        MESSAGE_EMPTY,
        /** The message is (bytes) long, over the limit of (limit bytes). */
        MESSAGE_TOO_LONG,
        /** There is no invitation to the room (room name) to accept or decline: already joined, or declined. */
        NO_INVITATION,
        /** The user is not in the room (room name) any more. */
        NOT_IN_ROOM,
        /** The user was invited to the room (room name) but did not join it yet. */
        NOT_JOINED_YET,
        /** The user is the last admin of the room (room name) and cannot leave it. */
        LAST_ADMIN,
        /** The room (room name) refused the membership change: the user is no admin, or it would change nothing. */
        ROOM_CHANGE_REFUSED,
        /** The message asked for is not there (any more). */
        NO_SUCH_MESSAGE,
        /** The message was deleted by its author. */
        MESSAGE_DELETED,
        /** Only its author may change the message. */
        NOT_YOUR_MESSAGE,
        /** The user has (max) different reactions on the message already. */
        TOO_MANY_REACTIONS,
        /** The text is not a mailbox pairing code (as {@code parley mailbox} prints it). */
        MAILBOX_CODE_INVALID,
        /** The mailbox refused the pairing code: old or mistyped. */
        MAILBOX_CODE_REFUSED,
        /** The mailbox has as many owners as it takes. */
        MAILBOX_FULL,
        /** The mailbox (its PeerId) could not be reached. */
        MAILBOX_UNREACHABLE,
        /** The user has a mailbox already (its PeerId); unpair it first. */
        MAILBOX_ALREADY_PAIRED,
        /** The user has no mailbox. */
        NO_MAILBOX,
        /** The file (its path) cannot be read to send it: missing, a folder, or not readable. */
        FILE_UNREADABLE,
        /** The message offers no file. */
        NO_FILE,
        /** The file of the message is not all here yet. */
        FILE_NOT_HERE
    }

    private final Problem problem;
    private final List<Object> details;

    public EngineException(String message) {
        this(Problem.OTHER, message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
        this.problem = Problem.OTHER;
        this.details = List.of();
    }

    /** A failure a user can meet, with what its sentence names ({@link Problem} says what, in which order). */
    public EngineException(Problem problem, String message, Object... details) {
        super(message);
        this.problem = problem;
        this.details = List.of(details);
    }

    /** What went wrong, for a view that says it in its own language; {@link Problem#OTHER} when only the message can. */
    public Problem problem() {
        return problem;
    }

    /** The names and numbers the problem's sentence holds, in the order {@link Problem} gives. */
    public List<Object> details() {
        return details;
    }
}
