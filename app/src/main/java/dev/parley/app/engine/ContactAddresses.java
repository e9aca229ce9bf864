package dev.parley.app.engine;

import dev.parley.app.Profile;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where contacts were reachable (from invite codes, nearby discovery, identify on past connections), kept in
 * the profile so that queued messages can be delivered after a restart of either side. The newest addresses
 * come first; at most {@link #MAX_PER_CONTACT} a contact. The store has no column for this yet.
 */
final class ContactAddresses {
    static final int MAX_PER_CONTACT = 16;
    private static final Logger log = LoggerFactory.getLogger(ContactAddresses.class);

    private final Profile profile;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PeerId, List<Multiaddr>> addresses;

    private ContactAddresses(Profile profile, Map<PeerId, List<Multiaddr>> addresses) {
        this.profile = profile;
        this.addresses = addresses;
    }

    static ContactAddresses load(Profile profile) throws IOException {
        return new ContactAddresses(profile, new LinkedHashMap<>(profile.contactAddresses()));
    }

    Map<PeerId, List<Multiaddr>> all() {
        lock.lock();
        try {
            return Map.copyOf(addresses);
        } finally {
            lock.unlock();
        }
    }

    /** Puts {@code learnt} first in the contact's list and saves the list if it changed. */
    void remember(PeerId contact, Collection<Multiaddr> learnt) {
        lock.lock();
        try {
            List<Multiaddr> known = addresses.getOrDefault(contact, List.of());
            List<Multiaddr> updated = new ArrayList<>();
            learnt.stream().map(Multiaddr::withoutPeerId).distinct().forEach(updated::add);
            known.stream().filter(address -> !updated.contains(address)).forEach(updated::add);
            List<Multiaddr> capped = List.copyOf(updated.subList(0, Math.min(updated.size(), MAX_PER_CONTACT)));
            if (capped.equals(known)) {
                return;
            }
            addresses.put(contact, capped);
            profile.setContactAddresses(addresses);
        } catch (IOException e) {
            log.warn("could not save the addresses of {} in {}: {}", contact, profile.directory(), e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}
