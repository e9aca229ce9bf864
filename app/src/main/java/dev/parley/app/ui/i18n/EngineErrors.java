package dev.parley.app.ui.i18n;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.StorageFailedException;
import dev.parley.app.ui.tasks.UiTasks;

/**
 * What went wrong, in the window's language: the engine's messages are English (they serve the command line and the
 * log too), so a failure the user can meet is worded here from its {@link EngineException.Problem} and details, never
 * by reading its message.
 */
public final class EngineErrors {
    private EngineErrors() {
    }

    /**
     * {@code failure} as a clause for a dialog's error line or a toast ("du bist nicht mehr in Buchclub"), to be
     * capitalised by whoever shows it as a sentence. A failure the engine gives no {@link EngineException.Problem}
     * for reads as its message, as before; one of the profile's storage says so around its (English) reason.
     */
    public static String message(Throwable failure) {
        Throwable cause = failure;
        while (!(cause instanceof EngineException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof StorageFailedException storage) {
            return text("error.storageFailed", storage.getMessage());
        }
        if (cause instanceof EngineException engine) {
            return engine.problem() == EngineException.Problem.OTHER ? engine.getMessage() : worded(engine);
        }
        return UiTasks.unwrap(failure).getMessage();
    }

    private static String worded(EngineException failure) {
        Object[] details = failure.details().toArray();
        return switch (failure.problem()) {
            case OWN_INVITE_CODE -> text("error.ownInviteCode");
            case CONTACT_IS_A_REQUEST -> text("error.contactIsARequest", details);
            case CONTACT_BLOCKED -> text("error.contactBlocked", details);
            case NOT_AN_ACCEPTED_CONTACT -> text("error.notAnAcceptedContact", details);
            case UNUSABLE_NAME -> text("error.unusableName", details);
            case MESSAGE_EMPTY -> text("error.messageEmpty");
            case MESSAGE_TOO_LONG -> text("error.messageTooLong", details);
            case NO_INVITATION -> text("error.noInvitation", details);
            case NOT_IN_ROOM -> text("error.notInRoom", details);
            case NOT_JOINED_YET -> text("error.notJoinedYet", details);
            case LAST_ADMIN -> text("error.lastAdmin", details);
            case ROOM_CHANGE_REFUSED -> text("error.roomChangeRefused", details);
            case NO_SUCH_MESSAGE -> text("error.noSuchMessage");
            case MESSAGE_DELETED -> text("error.messageDeleted");
            case NOT_YOUR_MESSAGE -> text("error.notYourMessage");
            case TOO_MANY_REACTIONS -> text("error.tooManyReactions", details);
            case MAILBOX_CODE_INVALID -> text("error.mailboxCodeInvalid");
            case MAILBOX_CODE_REFUSED -> text("error.mailboxCodeRefused");
            case MAILBOX_FULL -> text("error.mailboxFull");
            case MAILBOX_UNREACHABLE -> text("error.mailboxUnreachable", details);
            case MAILBOX_ALREADY_PAIRED -> text("error.mailboxAlreadyPaired", details);
            case NO_MAILBOX -> text("error.noMailbox");
            case FILE_UNREADABLE -> text("error.fileUnreadable", details);
            case NO_FILE -> text("error.noFile");
            case FILE_NOT_HERE -> text("error.fileNotHere");
            case OTHER -> failure.getMessage();
        };
    }

}
