package dev.parley.transport.yamux;

/** The Yamux frame types and their wire codes. */
enum FrameType {
    /** Stream data; the header's length is the payload size. */
    DATA(0),
    /** Grants the peer more send window on a stream; the length is the increment. */
    WINDOW_UPDATE(1),
    /** Round-trip measurement and keep-alive on stream 0; the length is an opaque value echoed back. */
    PING(2),
    /** Session termination on stream 0; the length is a {@link GoAwayCode}. */
    GO_AWAY(3);

    private static final FrameType[] BY_CODE = values();

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static FrameType fromCode(int code) throws YamuxProtocolException {
        if (code < 0 || code >= BY_CODE.length) {
            throw new YamuxProtocolException("unknown yamux frame type " + code);
        }
        return BY_CODE[code];
    }
}
