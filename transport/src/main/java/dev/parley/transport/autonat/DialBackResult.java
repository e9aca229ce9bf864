package dev.parley.transport.autonat;

import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.util.Optional;

/**
 * One server's answer to our dial-back request.
 *
 * @param server  who answered
 * @param status  what it said
 * @param text    its explanation, empty if it gave none
 * @param address the address it dialled (on success) or tried last, if it said
 */
public record DialBackResult(PeerId server, Status status, String text, Optional<Multiaddr> address) {
    public enum Status {
        /** It dialled us back: we are reachable at {@code address}. */
        OK,
        /** It tried every address it could and reached none: evidence that we are not reachable. */
        DIAL_ERROR,
        /** It would not try, e.g. it had no address it was allowed to dial, or was busy: no evidence either way. */
        DIAL_REFUSED,
        BAD_REQUEST,
        INTERNAL_ERROR;

        /** Whether the answer says something about our reachability. */
        boolean isEvidence() {
            return this == OK || this == DIAL_ERROR;
        }
    }
}
