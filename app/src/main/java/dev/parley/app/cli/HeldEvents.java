package dev.parley.app.cli;

import dev.parley.app.engine.api.EngineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds the engine's events from its start until the chat has printed {@code ready} and can print them: subscribed
 * before the engine runs anything, so that nothing it does as it starts is lost, and none printed before {@code ready}.
 */
final class HeldEvents implements Consumer<EngineEvent> {
    private final List<EngineEvent> held = new ArrayList<>();
    private Consumer<EngineEvent> printing;

    @Override
    public synchronized void accept(EngineEvent event) {
        if (printing == null) {
            held.add(event);
        } else {
            printing.accept(event);
        }
    }

    /** Hands what was held to {@code to}, in order, and every event after it. */
    synchronized void release(Consumer<EngineEvent> to) {
        held.forEach(to);
        held.clear();
        printing = to;
    }
}
