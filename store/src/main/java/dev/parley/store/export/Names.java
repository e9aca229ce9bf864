package dev.parley.store.export;

import dev.parley.store.History;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The names an export gives people: the exporting user's own; then the profile's (a contact's name, or one an
 * import brought); then what the caller knows (a room member's card); else the PeerId. Asked once per person.
 */
final class Names {
    private final History history;
    private final Person owner;
    private final Function<String, Optional<String>> more;
    private final Map<String, String> known = new HashMap<>();

    Names(History history, Person owner, Function<String, Optional<String>> more) {
        this.history = history;
        this.owner = owner;
        this.more = more;
    }

    String of(String peerId) {
        return known.computeIfAbsent(peerId, peer -> peer.equals(owner.peerId()) ? owner.name()
                : history.knownName(peer).or(() -> more.apply(peer)).orElse(peer));
    }

    Person person(String peerId) {
        return new Person(peerId, of(peerId));
    }
}
