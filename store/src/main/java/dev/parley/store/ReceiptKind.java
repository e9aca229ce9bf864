package dev.parley.store;

/** What a peer reported about one of our messages. */
public enum ReceiptKind {
    DELIVERED(MessageState.DELIVERED), READ(MessageState.READ);

    private final MessageState state;

    ReceiptKind(MessageState state) {
        this.state = state;
    }

    /** The state an outgoing message reaches once a peer sends this receipt. */
    public MessageState state() {
        return state;
    }
}
