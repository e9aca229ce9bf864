package dev.parley.store;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a string is one emoji as Unicode's emoji specification (UTS #51) spells them, checked against the JDK's
 * emoji properties: a reaction must be an emoji, not text. One emoji is one element or several joined by ZERO
 * WIDTH JOINER (families, professions); an element is an emoji character, optionally followed by the emoji
 * presentation selector or a skin tone modifier, or a flag, a keycap ({@code 0-9 # *},
 * the selector, the combining keycap) or one of the tag sequences Unicode recommends (England's, Scotland's and
 * Wales' flags). Any other tag sequence is refused: tag characters are invisible ASCII, and a reaction must not carry
 * hidden words.
 *
 * <p>A flag is two regional indicators that name a region ({@link #FLAG_REGIONS}), alone: the 26 regional indicators
 * are letters, any other pair draws as two boxed capitals, and UTS #51 joins no flag with ZERO WIDTH JOINER, so pairs
 * that are no flag, or flags joined, would let a reaction spell words ("HELP", "SCAM").
 *
 * <p>Made-up words are refused because ASCII letters are no emoji; bare digits, {@code #} and {@code *}, which
 * Unicode counts as emoji characters because of keycaps, are taken only as keycaps.
 */
final class EmojiSequence {
    private static final int ZERO_WIDTH_JOINER = 0x200D;
    private static final int PRESENTATION_SELECTOR = 0xFE0F;
    private static final int COMBINING_KEYCAP = 0x20E3;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int TAG_FIRST = 0xE0020;
    private static final int TAG_LAST = 0xE007E;
    private static final int CANCEL_TAG = 0xE007F;
    private static final int REGIONAL_INDICATOR_FIRST = 0x1F1E6;
    private static final int REGIONAL_INDICATOR_LAST = 0x1F1FF;
    /** The subdivisions whose flags are recommended for general interchange (UTS #51, emoji-sequences.txt). */
    private static final Set<String> FLAG_SUBDIVISIONS = Set.of("gbeng", "gbsct", "gbwls");

    /**
     * The regions whose flags are emoji: the ISO 3166-1 codes the JDK knows, and the flags Unicode recommends for
     * interchange (UTS #51, emoji-sequences.txt) under codes that ISO 3166-1 only reserves: Ascension Island,
     * Clipperton Island, Diego Garcia, Ceuta and Melilla, the European Union, the Canary Islands, Tristan da Cunha,
     * the United Nations and Kosovo.
     */
    static final Set<String> FLAG_REGIONS = flagRegions();

    private EmojiSequence() {
    }

    static boolean isOneEmoji(String text) {
        int[] points = text.codePoints().toArray();
        if (points.length == 0) {
            return false;
        }
        int at = 0;
        while (true) {
            boolean flag = isRegionalIndicator(points[at]);
            at = element(points, at);
            if (at < 0) {
                return false;
            }
            if (flag) {
                // A flag is never joined: it is the whole reaction, or the reaction is letters.
                return at == points.length && points.length == 2;
            }
            if (at == points.length) {
                return true;
            }
            if (points[at] != ZERO_WIDTH_JOINER || at + 1 == points.length) {
                return false;
            }
            at++;
        }
    }

    /** Where the element starting at {@code at} ends, or -1 if none starts there. */
    private static int element(int[] points, int at) {
        int first = points[at];
        if (isRegionalIndicator(first)) {
            return at + 1 < points.length && isRegionalIndicator(points[at + 1])
                    && FLAG_REGIONS.contains(region(first, points[at + 1])) ? at + 2 : -1;
        }
        if (first == '#' || first == '*' || first >= '0' && first <= '9') {
            return at + 2 < points.length && points[at + 1] == PRESENTATION_SELECTOR
                    && points[at + 2] == COMBINING_KEYCAP ? at + 3 : -1;
        }
        if (!Character.isEmoji(first) || Character.isEmojiComponent(first) && !Character.isEmojiPresentation(first)) {
            return -1;
        }
        int next = at + 1;
        if (first == BLACK_FLAG && next < points.length && points[next] >= TAG_FIRST && points[next] <= TAG_LAST) {
            StringBuilder subdivision = new StringBuilder();
            while (next < points.length && points[next] >= TAG_FIRST && points[next] <= TAG_LAST) {
                subdivision.appendCodePoint(points[next] - TAG_FIRST + ' ');
                next++;
            }
            boolean ended = next < points.length && points[next] == CANCEL_TAG;
            return ended && FLAG_SUBDIVISIONS.contains(subdivision.toString()) ? next + 1 : -1;
        }
        if (next < points.length && (points[next] == PRESENTATION_SELECTOR
                || Character.isEmojiModifier(points[next]) && Character.isEmojiModifierBase(first))) {
            next++;
        }
        return next;
    }

    private static String region(int firstIndicator, int secondIndicator) {
        return new String(new char[] {(char) ('A' + firstIndicator - REGIONAL_INDICATOR_FIRST),
            (char) ('A' + secondIndicator - REGIONAL_INDICATOR_FIRST)});
    }

    private static Set<String> flagRegions() {
        Set<String> regions = new HashSet<>(Set.of(Locale.getISOCountries()));
        regions.addAll(Set.of("AC", "CP", "DG", "EA", "EU", "IC", "TA", "UN", "XK"));
        return Set.copyOf(regions);
    }

    private static boolean isRegionalIndicator(int point) {
        return point >= REGIONAL_INDICATOR_FIRST && point <= REGIONAL_INDICATOR_LAST;
    }
}
