package dev.parley.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A deposit capability we minted for a contact, to our mailbox.
 *
 * @param contact   the contact's PeerId
 * @param mailbox   the mailbox it deposits in
 * @param capId     the capability's id, which the mailbox revokes by
 * @param grantedAt when it was minted
 * @param revokedAt when the contact lost it (blocked, removed), until the mailbox has revoked it; empty while good
 */
public record GivenGrant(String contact, String mailbox, byte[] capId, Instant grantedAt, Optional<Instant> revokedAt) {
    public GivenGrant {
        Check.id("contact", contact);
        Check.id("mailbox", mailbox);
        capId = Check.present("capability id", capId).clone();
        grantedAt = Check.time("granted at", grantedAt);
        revokedAt = Check.present("revoked at", revokedAt).map(at -> Check.time("revoked at", at));
    }

    @Override
    public byte[] capId() {
        return capId.clone();
    }
}
