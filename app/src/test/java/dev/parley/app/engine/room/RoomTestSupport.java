package dev.parley.app.engine.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** RoomResolver.resolve from scratch over a log's events: no cuts, no marks the log kept. */
final class RoomTestSupport {
    private RoomTestSupport() {
    }

    static int indexOf(List<RoomEvent> events, byte[] hash) {
        for (int i = 0; i < events.size(); i++) {
            if (Arrays.equals(events.get(i).hash(), hash)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such event");
    }

    static List<BitSet> ancestors(List<RoomEvent> events) {
        List<BitSet> ancestors = new ArrayList<>();
        for (RoomEvent event : events) {
            BitSet past = new BitSet();
            for (byte[] parent : event.parents()) {
                int index = indexOf(events, parent);
                past.set(index);
                past.or(ancestors.get(index));
            }
            ancestors.add(past);
        }
        return ancestors;
    }

    static RoomState fromScratch(RoomLog log) {
        List<RoomEvent> events = log.events();
        List<BitSet> ancestors = ancestors(events);
        BitSet all = new BitSet();
        all.set(0, events.size());
        return RoomResolver.resolve(events, ancestors, all, log.state().heads());
    }
}
