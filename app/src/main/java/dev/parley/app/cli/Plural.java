package dev.parley.app.cli;

/** A count with its noun, for what the commands print: "1 member", "2 members", "1,024 messages". */
final class Plural {
    private Plural() {
    }

    /** {@code noun} is the singular; the plural adds an s, which is right for every noun the commands count. */
    static String of(long count, String noun) {
        return String.format("%,d %s%s", count, noun, count == 1 ? "" : "s");
    }
}
