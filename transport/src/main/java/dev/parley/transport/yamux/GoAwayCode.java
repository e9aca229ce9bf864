package dev.parley.transport.yamux;

import java.util.Optional;

/** Why a session ends, carried in the length field of a go-away frame. */
enum GoAwayCode {
    NORMAL(0),
    PROTOCOL_ERROR(1),
    INTERNAL_ERROR(2);

    private final int code;

    GoAwayCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Optional<GoAwayCode> fromCode(long code) {
        for (GoAwayCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
