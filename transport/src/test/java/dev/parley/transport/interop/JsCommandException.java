package dev.parley.transport.interop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The js peer answered a command with {@code ok:false}. The reply keeps what js-libp2p said: its error
 * message, the error's {@code name} (e.g. {@code EncryptionFailedError}, {@code UnsupportedProtocolError})
 * and {@code code} (e.g. {@code ECONNREFUSED}), and for aggregate errors the nested {@code errors}.
 */
public final class JsCommandException extends RuntimeException {
    private final transient JsonNode reply;

    JsCommandException(JsonNode command, JsonNode reply) {
        super("js peer refused " + command + ": " + reply);
        this.reply = reply;
    }

    public JsonNode reply() {
        return reply;
    }

    /** The js error's name, or "" if it had none. */
    public String name() {
        return reply.path("name").asText();
    }

    /** The js error's code, or "" if it had none. */
    public String code() {
        return reply.path("code").asText();
    }

    /** The js error's message. */
    public String error() {
        return reply.path("error").asText();
    }
}
