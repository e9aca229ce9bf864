package dev.parley.app.engine.api;

import dev.parley.app.engine.room.Rooms;
import dev.parley.crypto.MessageId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consecutive lines of a room's conversation, oldest first, with how far each of ours has reached.
 *
 * @param older      where the page before this one ends ({@link Rooms#before}); empty at the room's start
 * @param newer      where the page after this one starts ({@link Rooms#after}); empty when the page reaches the
 *                   newest line
 * @param deliveries for each of our messages on the page, how many of the room's other members have stored it
 */
public record RoomHistoryPage(List<RoomMessage> messages, Optional<HistoryCursor> older,
                              Optional<HistoryCursor> newer, Map<MessageId, RoomDelivery> deliveries) {
    public RoomHistoryPage {
        messages = List.copyOf(messages);
        deliveries = Map.copyOf(deliveries);
    }
}
