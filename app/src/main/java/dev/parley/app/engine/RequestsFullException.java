package dev.parley.app.engine;

import java.io.IOException;

/**
 * A stranger's first message came while {@link RequestQuota#MAX_PENDING_REQUESTS} requests already wait for the
 * user: its stream is reset unacknowledged, so its sender keeps it and tries again later.
 */
final class RequestsFullException extends IOException {
    RequestsFullException(Object peer) {
        super(RequestQuota.MAX_PENDING_REQUESTS + " message requests wait for the user already; the first message of "
                + peer + " is left with its sender, who sends it again later");
    }
}
