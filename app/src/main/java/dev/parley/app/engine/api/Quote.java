package dev.parley.app.engine.api;

import java.util.Optional;

/**
 * The message a reply answers, by reference: its text as this device holds it now, empty when the message is not
 * here (not yet arrived, or deleted).
 */
public record Quote(MessageRef message, Optional<String> text) {
}
