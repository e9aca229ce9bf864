package dev.parley.transport.multistream;

import java.util.List;

/** The remote answered {@code na} to every protocol we proposed. */
public class ProtocolNotSupportedException extends MultistreamException {
    private final List<String> proposed;

    public ProtocolNotSupportedException(List<String> proposed) {
        super("the remote supports none of " + proposed);
        this.proposed = List.copyOf(proposed);
    }

    public List<String> proposed() {
        return proposed;
    }
}
