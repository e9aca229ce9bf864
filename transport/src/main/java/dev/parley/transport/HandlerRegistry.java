package dev.parley.transport;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The protocols this host serves, and who wants to hear when that set changes (identify push does). */
final class HandlerRegistry {
    private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

    void put(String protocolId, StreamHandler handler) {
        if (handlers.put(protocolId, handler) == null) {
            changeListeners.forEach(Runnable::run);
        }
    }

    void remove(String protocolId) {
        if (handlers.remove(protocolId) != null) {
            changeListeners.forEach(Runnable::run);
        }
    }

    Optional<StreamHandler> get(String protocolId) {
        return Optional.ofNullable(handlers.get(protocolId));
    }

    boolean supports(String protocolId) {
        return handlers.containsKey(protocolId);
    }

    List<String> protocols() {
        return handlers.keySet().stream().sorted().toList();
    }

    void onChange(Runnable listener) {
        changeListeners.add(listener);
    }
}
