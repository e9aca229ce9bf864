package dev.parley.app.engine.api;

import java.time.Instant;

/** One version of an edited message's text, the original first; {@code at} is when it was written. */
public record TextVersion(String text, Instant at) {
}
