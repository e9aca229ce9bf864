package dev.parley.store;

/**
 * A membership event that does not extend the room's log: it must name the current head's hash as its previous
 * hash and carry the head's epoch plus one (the first event: no previous hash, epoch 0).
 */
public final class MembershipChainException extends StoreException {
    public MembershipChainException(String message) {
        super(message);
    }
}
