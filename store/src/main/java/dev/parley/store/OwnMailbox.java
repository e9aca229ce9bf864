package dev.parley.store;

import java.time.Instant;

/**
 * The mailbox this profile owns: where it is and the owner key K it gave us, with which we mint our contacts'
 * deposit capabilities. Secret: K lets anyone deposit in our name.
 *
 * @param mailbox   the mailbox's PeerId
 * @param addresses its addresses, as the app encodes them
 * @param ownerKey  K, as the mailbox answered our pairing
 * @param pairedAt  when we paired
 */
public record OwnMailbox(String mailbox, byte[] addresses, byte[] ownerKey, Instant pairedAt) {
    public OwnMailbox {
        Check.id("mailbox", mailbox);
        addresses = Check.present("addresses", addresses).clone();
        ownerKey = Check.present("owner key", ownerKey).clone();
        pairedAt = Check.time("paired at", pairedAt);
    }

    @Override
    public byte[] addresses() {
        return addresses.clone();
    }

    @Override
    public byte[] ownerKey() {
        return ownerKey.clone();
    }

    @Override
    public String toString() {
        return "OwnMailbox[" + mailbox + ", paired " + pairedAt + "]";
    }
}
