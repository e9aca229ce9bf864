package dev.parley.transport.mdns;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;

/**
 * A domain name as its labels, {@code ["_p2p", "_udp", "local"]}, without the root. Kept as labels rather than
 * dotted text because a DNS-SD instance label may itself contain dots. Names compare as DNS compares them:
 * ignoring the case of ASCII letters only (RFC 6762 §16).
 */
record DnsName(List<String> labels) {
    /** RFC 1035 §2.3.4: a label is at most 63 bytes. */
    static final int MAX_LABEL_BYTES = 63;
    /** RFC 1035 §2.3.4: a name on the wire, length bytes and the root byte included, is at most 255 bytes. */
    static final int MAX_WIRE_BYTES = 255;

    DnsName {
        labels = List.copyOf(labels);
        int wireBytes = 1;
        for (String label : labels) {
            int length = label.getBytes(UTF_8).length;
            if (length == 0 || length > MAX_LABEL_BYTES) {
                throw new IllegalArgumentException("DNS label '" + label + "' has " + length
                        + " bytes; a label has 1 to " + MAX_LABEL_BYTES);
            }
            wireBytes += 1 + length;
        }
        if (wireBytes > MAX_WIRE_BYTES) {
            throw new IllegalArgumentException("DNS name " + String.join(".", labels) + " takes " + wireBytes
                    + " bytes on the wire; the limit is " + MAX_WIRE_BYTES);
        }
    }

    /** Splits dotted text, {@code _p2p._udp.local}, into labels; a trailing dot (the root) is allowed. */
    static DnsName parse(String dotted) {
        String body = dotted.endsWith(".") ? dotted.substring(0, dotted.length() - 1) : dotted;
        return new DnsName(body.isEmpty() ? List.of() : List.of(body.split("\\.", -1)));
    }

    /** This name with {@code label} in front: {@code instance} + {@code _p2p._udp.local}. */
    DnsName prepend(String label) {
        List<String> longer = new ArrayList<>(labels.size() + 1);
        longer.add(label);
        longer.addAll(labels);
        return new DnsName(longer);
    }

    /** The first label, which names the instance in a DNS-SD instance name. */
    String first() {
        if (labels.isEmpty()) {
            throw new IllegalStateException("the root name has no first label");
        }
        return labels.getFirst();
    }

    /** The labels with ASCII letters lowercased: the form in which names compare. */
    List<String> folded() {
        return labels.stream().map(DnsName::foldAscii).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsName other && folded().equals(other.folded());
    }

    @Override
    public int hashCode() {
        return folded().hashCode();
    }

    @Override
    public String toString() {
        return labels.isEmpty() ? "." : String.join(".", labels);
    }

    private static String foldAscii(String label) {
        StringBuilder folded = new StringBuilder(label.length());
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }
}
