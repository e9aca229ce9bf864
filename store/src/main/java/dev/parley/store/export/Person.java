package dev.parley.store.export;

/** Someone an export names: a PeerId and the name shown for it. */
public record Person(String peerId, String name) {
    public Person {
        if (peerId == null || peerId.isBlank() || name == null || name.isBlank()) {
            throw new IllegalArgumentException("a person needs a peer id and a name");
        }
    }
}
