package dev.parley.transport.relay;

import dev.parley.transport.relay.pb.CircuitProtos.Status;
import java.io.IOException;

/** A relay (or, for a stop stream, the target) answered a request with a status other than OK. */
public final class RelayRefusedException extends IOException {
    private final Status status;

    public RelayRefusedException(String request, Status status) {
        super(request + " refused with " + status + " (" + status.getNumber() + ")");
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
