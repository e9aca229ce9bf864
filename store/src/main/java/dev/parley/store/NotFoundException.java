package dev.parley.store;

/** A write named a contact, conversation, message or room that the store does not hold. */
public final class NotFoundException extends StoreException {
    /** What kind of row was missing. */
    public enum Entity { CONTACT, CONVERSATION, MESSAGE, ROOM }

    private final Entity entity;
    private final String id;

    public NotFoundException(Entity entity, String id) {
        this(entity, id, "no " + entity.name().toLowerCase() + " with id '" + id + "' in the store");
    }

    /** No message of that sender with that id in that conversation; {@link #id()} is the message id. */
    public NotFoundException(MessageKey message) {
        this(Entity.MESSAGE, message.id(), "no message " + message + " in the store");
    }

    private NotFoundException(Entity entity, String id, String message) {
        super(message);
        this.entity = entity;
        this.id = id;
    }

    public Entity entity() {
        return entity;
    }

    public String id() {
        return id;
    }
}
