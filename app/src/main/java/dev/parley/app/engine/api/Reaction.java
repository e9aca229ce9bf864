package dev.parley.app.engine.api;

import dev.parley.transport.multiformats.PeerId;

/** {@code reactor} reacted to a message with {@code emoji}; a person reacts at most once with each emoji. */
public record Reaction(PeerId reactor, String emoji) {
}
