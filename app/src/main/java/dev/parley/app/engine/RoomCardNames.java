package dev.parley.app.engine;

import dev.parley.app.engine.room.InvalidRoomEventException;
import dev.parley.app.engine.room.RoomChange;
import dev.parley.app.engine.room.RoomEvent;
import dev.parley.store.MembershipEvent;
import dev.parley.store.SqliteStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names room members gave themselves on the cards their room's log carries (the creator's and each added
 * member's), for the people an export would otherwise name by PeerId: room members who are not contacts, also
 * those who have left. Read from the store alone, so an export needs no running node. Built on first use.
 */
public final class RoomCardNames implements Function<String, Optional<String>> {
    private static final Logger log = LoggerFactory.getLogger(RoomCardNames.class);

    private final SqliteStore store;
    private Map<String, String> names;

    public RoomCardNames(SqliteStore store) {
        this.store = store;
    }

    @Override
    public synchronized Optional<String> apply(String peerId) {
        if (names == null) {
            names = read();
        }
        return Optional.ofNullable(names.get(peerId));
    }

    private Map<String, String> read() {
        Map<String, String> read = new HashMap<>();
        for (String room : store.rooms().statuses().keySet()) {
            for (MembershipEvent stored : store.rooms().log(room)) {
                try {
                    switch (RoomEvent.decode(stored.event()).change()) {
                        // A later card (a member added again) holds the newer name.
                        case RoomChange.Create create -> read.put(create.creator().peerId().toBase58(),
                                create.creator().displayName());
                        case RoomChange.Add add -> read.put(add.member().peerId().toBase58(),
                                add.member().displayName());
                        default -> { }
                    }
                } catch (InvalidRoomEventException e) {
                    log.info("room {}: the event at epoch {} cannot be read for names: {}", room, stored.epoch(),
                            e.getMessage());
                }
            }
        }
        return read;
    }
}
