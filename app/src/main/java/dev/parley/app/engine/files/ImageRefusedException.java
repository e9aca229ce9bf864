package dev.parley.app.engine.files;

/**
 * {@link Images} would not, or could not, decode a file as a picture. Its message names the file and, for a picture
 * over the limits, the number against the limit, for the user and the log.
 */
public final class ImageRefusedException extends Exception {
    /** Why, for whoever words it for the user. */
    public enum Reason {
        /** No reader knows the file's format (or the file could not be read). */
        NOT_AN_IMAGE,
        /** The file is larger than {@link ImageLimits#maxFileBytes()}. */
        TOO_LARGE_FILE,
        /** Its header declares more than {@link ImageLimits#maxPixels()}. */
        TOO_MANY_PIXELS,
        /** Its header declares a side beyond {@link ImageLimits#maxWidth()} or {@link ImageLimits#maxHeight()}. */
        TOO_WIDE_OR_TALL,
        /** A reader knows the format but failed on the file: cut short, corrupt, or made to break decoders. */
        DAMAGED
    }

    private final Reason reason;

    ImageRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    ImageRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
