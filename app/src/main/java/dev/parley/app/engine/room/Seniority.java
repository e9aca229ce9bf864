package dev.parley.app.engine.room;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * When an admin became one: the epoch and hash of the event that made it an admin (the creating event for the
 * creator). The lower is the more senior, and an admin removes only admins junior to it: so a removed admin has no
 * right left to remove whoever removed it, and nobody can make an admin more senior than the one who promoted it
 * (a promotion follows its author's own).
 */
public record Seniority(long epoch, byte[] eventHash) implements Comparable<Seniority> {
    public Seniority {
        eventHash = eventHash.clone();
    }

    @Override
    public byte[] eventHash() {
        return eventHash.clone();
    }

    @Override
    public int compareTo(Seniority other) {
        int byEpoch = Long.compare(epoch, other.epoch);
        return byEpoch != 0 ? byEpoch : RoomEvent.HASH_ORDER.compare(eventHash, other.eventHash);
    }

    public boolean isSeniorTo(Seniority other) {
        return compareTo(other) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Seniority other && epoch == other.epoch && Arrays.equals(eventHash, other.eventHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + Arrays.hashCode(eventHash);
    }

    @Override
    public String toString() {
        return "Seniority[epoch " + epoch + ", " + HexFormat.of().formatHex(eventHash, 0, 4) + "…]";
    }
}
