package dev.parley.store;

/** A message body longer than {@link StoreLimits#MAX_BODY_BYTES}; the message was not stored. */
public final class BodyTooLongException extends InvalidInputException {
    private final String messageId;
    private final int bodyBytes;

    public BodyTooLongException(String messageId, int bodyBytes) {
        super("message " + messageId + " has a body of " + bodyBytes + " bytes (UTF-8); the limit is "
                + StoreLimits.MAX_BODY_BYTES);
        this.messageId = messageId;
        this.bodyBytes = bodyBytes;
    }

    public String messageId() {
        return messageId;
    }

    public int bodyBytes() {
        return bodyBytes;
    }
}
