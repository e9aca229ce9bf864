package dev.parley.app.ui.emoji;

import java.awt.Component;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.swing.Icon;
import javax.swing.UIManager;
import javax.swing.text.SimpleAttributeSet;
import javax.swing.text.StyleConstants;
import javax.swing.text.StyledDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Colour emoji in the text Parley shows. Java draws no colour glyphs on Linux, so the emoji of a text are found here
 * (single code points with emoji presentation, and sequences the font joins: flags, skin tones, families,
 * keycaps) and shown as pictures from Noto Color Emoji ({@link ColorEmojiFont}), scaled to the text. The
 * characters stay in the document, so copying a message copies its emoji. Without the font, text shows as is.
 * Documents (message bubbles) mark their emoji with {@link #mark}; lines painted by hand and labels draw them with
 * {@link EmojiText}.
 */
public final class Emoji {
    private static final Logger log = LoggerFactory.getLogger(Emoji.class);
    private static final List<Path> FONT_FILES = List.of(
            Path.of("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),
            Path.of("/usr/share/fonts/noto/NotoColorEmoji.ttf"),
            Path.of("/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf"),
            Path.of("/usr/share/fonts/noto-emoji/NotoColorEmoji.ttf"));
    private static final int VARIATION_SELECTOR = 0xFE0F;
    private static final Set<Integer> EMOJI_BY_DEFAULT = emojiByDefault();
    private static final int CACHED_PICTURES = 512;
    /** Text with no character from © (U+00A9) on has no emoji: most text, answered without the font. */
    private static final int FIRST_EMOJI_CHARACTER = 0xA9;

    /** An emoji at characters {@code [start, end)} of a text, drawn as the font's {@code glyph}. */
    public record Run(int start, int end, int glyph) {
    }

    private static final Object LOCK = new Object();
    private static Optional<ColorEmojiFont> font;
    private static final Map<Integer, BufferedImage> pictures = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, BufferedImage> eldest) {
            return size() > CACHED_PICTURES;
        }
    };

    private Emoji() {
    }

    /** Reads the emoji font now (it takes a moment), so the first message with an emoji shows at once. */
    public static void preload() {
        font();
    }

    private static Optional<ColorEmojiFont> font() {
        synchronized (LOCK) {
            if (font == null) {
                font = FONT_FILES.stream().filter(Files::isReadable).findFirst().flatMap(file -> {
                    try {
                        return Optional.of(ColorEmojiFont.open(file));
                    } catch (IOException e) {
                        log.info("colour emoji unavailable: {}", e.getMessage());
                        return Optional.empty();
                    }
                });
            }
            return font;
        }
    }

    /** The emoji in {@code text}, in order. */
    public static List<Run> find(String text) {
        if (text.chars().allMatch(c -> c < FIRST_EMOJI_CHARACTER)) {
            return List.of();
        }
        Optional<ColorEmojiFont> loaded = font();
        if (loaded.isEmpty()) {
            return List.of();
        }
        ColorEmojiFont emojiFont = loaded.get();
        List<Integer> starts = new ArrayList<>();
        List<Integer> glyphs = new ArrayList<>();
        List<Integer> codePoints = new ArrayList<>();
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            int cp = text.codePointAt(i);
            if (cp != VARIATION_SELECTOR) {
                starts.add(i);
                codePoints.add(cp);
                glyphs.add(emojiFont.glyph(cp));
            }
        }
        int[] glyphArray = glyphs.stream().mapToInt(Integer::intValue).toArray();
        List<Run> runs = new ArrayList<>();
        for (int k = 0; k < glyphArray.length; ) {
            if (glyphArray[k] == 0) {
                k++;
                continue;
            }
            Optional<int[]> ligature = emojiFont.ligature(glyphArray, k);
            int length = 1;
            int glyph = glyphArray[k];
            if (ligature.isPresent() && emojiFont.hasPicture(ligature.get()[1])) {
                length = ligature.get()[0];
                glyph = ligature.get()[1];
            } else if (!presentedAsEmoji(text, starts.get(k), codePoints.get(k)) || !emojiFont.hasPicture(glyph)) {
                k++;
                continue;
            }
            int start = starts.get(k);
            int end = k + length < starts.size() ? starts.get(k + length) : text.length();
            runs.add(new Run(start, end, glyph));
            k += length;
        }
        return runs;
    }

    /**
     * Whether a lone code point shows as an emoji rather than as text: the emoji blocks from U+1F000 on, the older
     * symbols Unicode presents as emoji by default (☕, ⭐, ✅), and other symbols (arrows, dingbats, ©) when a
     * variation selector asks for the emoji form or the text font lacks them.
     */
    private static boolean presentedAsEmoji(String text, int at, int cp) {
        if (cp >= 0x1F000 || EMOJI_BY_DEFAULT.contains(cp)) {
            return true;
        }
        if (cp < 0xA9 || Character.isLetterOrDigit(cp)) {
            return false;
        }
        int next = at + Character.charCount(cp);
        boolean selector = next < text.length() && text.codePointAt(next) == VARIATION_SELECTOR;
        return selector || cp >= 0x2000 && !UIManager.getFont("defaultFont").canDisplay(cp);
    }

    /** The code points below U+1F000 whose default presentation is emoji (Unicode's Emoji_Presentation=Yes). */
    private static Set<Integer> emojiByDefault() {
        int[][] ranges = {{0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE},
            {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
            {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
            {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
            {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
            {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
            {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55}};
        Set<Integer> codePoints = new HashSet<>();
        for (int[] range : ranges) {
            for (int cp = range[0]; cp <= range[1]; cp++) {
                codePoints.add(cp);
            }
        }
        return Set.copyOf(codePoints);
    }

    /** Shows each emoji of {@code document} (holding {@code text}) as a picture sized to the document's text. */
    public static void mark(StyledDocument document, String text, float fontSize) {
        for (Run run : find(text)) {
            SimpleAttributeSet attributes = new SimpleAttributeSet();
            StyleConstants.setIcon(attributes, Picture.forText(run.glyph(), fontSize));
            document.setCharacterAttributes(run.start(), run.end() - run.start(), attributes, false);
        }
    }

    /** {@code emoji} as a square picture {@code size} pixels high, for a button; empty without the font. */
    public static Optional<Icon> icon(String emoji, int size) {
        List<Run> runs = find(emoji);
        return runs.size() == 1 ? Optional.of(new Picture(runs.getFirst().glyph(), size, 0)) : Optional.empty();
    }

    private static Optional<BufferedImage> picture(int glyph) {
        synchronized (LOCK) {
            BufferedImage cached = pictures.get(glyph);
            if (cached != null) {
                return Optional.of(cached);
            }
            try {
                Optional<BufferedImage> decoded = font().flatMap(f -> {
                    try {
                        return f.picture(glyph);
                    } catch (IOException e) {
                        log.debug("emoji glyph {} does not decode: {}", glyph, e.getMessage());
                        return Optional.empty();
                    }
                });
                decoded.ifPresent(image -> pictures.put(glyph, image));
                return decoded;
            } catch (RuntimeException e) {
                log.debug("emoji glyph {} unreadable: {}", glyph, e.toString());
                return Optional.empty();
            }
        }
    }

    /**
     * An emoji picture as an icon: {@code size} pixels square, standing {@code descent} pixels below the baseline
     * like text does (a text pane sets icons on the baseline).
     */
    public record Picture(int glyph, int size, int descent) implements Icon {
        /** The picture of {@code glyph} beside text of {@code fontSize}: a little taller than its letters. */
        static Picture forText(int glyph, float fontSize) {
            return new Picture(glyph, Math.round(fontSize * 1.25f), Math.round(fontSize * 0.25f));
        }

        @Override
        public void paintIcon(Component component, Graphics graphics, int x, int y) {
            picture(glyph).ifPresent(image -> {
                Graphics2D g = (Graphics2D) graphics.create();
                try {
                    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                    int width = Math.round(size * (float) image.getWidth() / image.getHeight());
                    g.drawImage(image, x, y + descent, width, size, null);
                } finally {
                    g.dispose();
                }
            });
        }

        @Override
        public int getIconWidth() {
            return size + 1;
        }

        @Override
        public int getIconHeight() {
            return size - descent;
        }
    }
}
