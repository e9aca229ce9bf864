package dev.parley.app.ui.emoji;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The pictures of a colour bitmap emoji font (CBDT/CBLC, as Noto Color Emoji is): Java's text rendering on Linux
 * draws no colour glyphs, so Parley reads the PNGs out of the font itself. Reads the character map (cmap format
 * 12), the ligatures that join sequences such as flags, skin tones and families into one picture (GSUB lookup
 * type 4, also inside extension lookups), and the largest bitmap strike.
 *
 * <p>Table layouts: OpenType specification, chapters cmap, GSUB, CBLC and CBDT. Anything the reader does not
 * know (another index or image format) counts as "no picture": the text then shows as it is.
 */
final class ColorEmojiFont {
    /** A ligature: the glyphs after the first, and the glyph they become. */
    private record Ligature(int[] rest, int glyph) {
    }

    private final ByteBuffer font;
    private final Map<Integer, Integer> glyphOf = new HashMap<>();
    private final Map<Integer, List<Ligature>> ligaturesByFirst = new HashMap<>();
    private final Map<Integer, Integer> bitmapOffsetOf = new HashMap<>();
    private final Map<Integer, Integer> imageFormatOf = new HashMap<>();
    private final int cbdt;

    private ColorEmojiFont(ByteBuffer font) throws IOException {
        this.font = font;
        Map<String, Integer> tables = new HashMap<>();
        int count = u16(4);
        for (int i = 0; i < count; i++) {
            int record = 12 + 16 * i;
            byte[] tag = new byte[4];
            font.get(record, tag);
            tables.put(new String(tag, StandardCharsets.US_ASCII), (int) u32(record + 8));
        }
        for (String required : List.of("cmap", "CBLC", "CBDT")) {
            if (!tables.containsKey(required)) {
                throw new IOException("the font has no " + required + " table; it is not a colour bitmap font");
            }
        }
        cbdt = tables.get("CBDT");
        readCmap(tables.get("cmap"));
        readStrike(tables.get("CBLC"));
        if (tables.containsKey("GSUB")) {
            readLigatures(tables.get("GSUB"));
        }
    }

    static ColorEmojiFont open(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new ColorEmojiFont(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("the font " + file + " is damaged: a table points outside the file", e);
        }
    }

    /** The glyph of a code point, 0 if the font has none. */
    int glyph(int codePoint) {
        return glyphOf.getOrDefault(codePoint, 0);
    }

    boolean hasPicture(int glyph) {
        return bitmapOffsetOf.containsKey(glyph);
    }

    /**
     * The longest ligature that starts with {@code glyphs[from]}: how many glyphs it joins and the glyph they
     * become, or empty.
     */
    Optional<int[]> ligature(int[] glyphs, int from) {
        int[] best = null;
        for (Ligature ligature : ligaturesByFirst.getOrDefault(glyphs[from], List.of())) {
            int length = ligature.rest().length + 1;
            if (from + length > glyphs.length || best != null && best[0] >= length) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < ligature.rest().length && matches; i++) {
                matches = glyphs[from + 1 + i] == ligature.rest()[i];
            }
            if (matches) {
                best = new int[] {length, ligature.glyph()};
            }
        }
        return Optional.ofNullable(best);
    }

    /** The picture of a glyph, decoded from its PNG. */
    Optional<BufferedImage> picture(int glyph) throws IOException {
        Integer offset = bitmapOffsetOf.get(glyph);
        if (offset == null) {
            return Optional.empty();
        }
        int at = cbdt + offset;
        int dataStart = switch (imageFormatOf.get(glyph)) {
            case 17 -> at + 5;
            case 18 -> at + 8;
            case 19 -> at;
            default -> -1;
        };
        if (dataStart < 0) {
            return Optional.empty();
        }
        int length = (int) u32(dataStart);
        byte[] png = new byte[length];
        font.get(dataStart + 4, png);
        return Optional.ofNullable(ImageIO.read(new ByteArrayInputStream(png)));
    }

    private void readCmap(int cmap) {
        int subtables = u16(cmap + 2);
        for (int i = 0; i < subtables; i++) {
            int offset = cmap + (int) u32(cmap + 4 + 8 * i + 4);
            if (u16(offset) == 12) {
                long groups = u32(offset + 12);
                for (int g = 0; g < groups; g++) {
                    int group = offset + 16 + 12 * g;
                    long start = u32(group);
                    long end = u32(group + 4);
                    long glyph = u32(group + 8);
                    for (long cp = start; cp <= end; cp++) {
                        glyphOf.put((int) cp, (int) (glyph + cp - start));
                    }
                }
                return;
            }
        }
    }

    /** Indexes the bitmaps of the strike with the most pixels per em. */
    private void readStrike(int cblc) {
        int sizes = (int) u32(cblc + 4);
        int best = -1;
        int bestPpem = -1;
        for (int i = 0; i < sizes; i++) {
            int size = cblc + 8 + 48 * i;
            int ppem = u8(size + 45);
            if (ppem > bestPpem) {
                bestPpem = ppem;
                best = size;
            }
        }
        if (best < 0) {
            return;
        }
        int arrayStart = cblc + (int) u32(best);
        long subtables = u32(best + 8);
        for (int i = 0; i < subtables; i++) {
            int entry = arrayStart + 8 * i;
            int first = u16(entry);
            int last = u16(entry + 2);
            int subtable = arrayStart + (int) u32(entry + 4);
            int indexFormat = u16(subtable);
            int imageFormat = u16(subtable + 2);
            int imageData = (int) u32(subtable + 4);
            for (int glyph = first; glyph <= last; glyph++) {
                int k = glyph - first;
                int offset;
                int next;
                if (indexFormat == 1) {
                    offset = (int) u32(subtable + 8 + 4 * k);
                    next = (int) u32(subtable + 8 + 4 * (k + 1));
                } else if (indexFormat == 3) {
                    offset = u16(subtable + 8 + 2 * k);
                    next = u16(subtable + 8 + 2 * (k + 1));
                } else {
                    break;
                }
                if (next > offset) {
                    bitmapOffsetOf.put(glyph, imageData + offset);
                    imageFormatOf.put(glyph, imageFormat);
                }
            }
        }
    }

    private void readLigatures(int gsub) {
        int lookupList = gsub + u16(gsub + 8);
        int lookups = u16(lookupList);
        for (int i = 0; i < lookups; i++) {
            int lookup = lookupList + u16(lookupList + 2 + 2 * i);
            int type = u16(lookup);
            int subtables = u16(lookup + 4);
            for (int s = 0; s < subtables; s++) {
                int subtable = lookup + u16(lookup + 6 + 2 * s);
                int subtableType = type;
                if (type == 7) {
                    subtableType = u16(subtable + 2);
                    subtable = subtable + (int) u32(subtable + 4);
                }
                if (subtableType == 4 && u16(subtable) == 1) {
                    readLigatureSubtable(subtable);
                }
            }
        }
    }

    private void readLigatureSubtable(int subtable) {
        List<Integer> firsts = coverage(subtable + u16(subtable + 2));
        int sets = u16(subtable + 4);
        for (int i = 0; i < sets && i < firsts.size(); i++) {
            int set = subtable + u16(subtable + 6 + 2 * i);
            int count = u16(set);
            for (int l = 0; l < count; l++) {
                int ligature = set + u16(set + 2 + 2 * l);
                int glyph = u16(ligature);
                int components = u16(ligature + 2);
                int[] rest = new int[components - 1];
                for (int c = 0; c < rest.length; c++) {
                    rest[c] = u16(ligature + 4 + 2 * c);
                }
                ligaturesByFirst.computeIfAbsent(firsts.get(i), k -> new ArrayList<>()).add(new Ligature(rest, glyph));
            }
        }
    }

    private List<Integer> coverage(int table) {
        List<Integer> glyphs = new ArrayList<>();
        int format = u16(table);
        int count = u16(table + 2);
        for (int i = 0; i < count; i++) {
            if (format == 1) {
                glyphs.add(u16(table + 4 + 2 * i));
            } else if (format == 2) {
                int range = table + 4 + 6 * i;
                for (int g = u16(range); g <= u16(range + 2); g++) {
                    glyphs.add(g);
                }
            }
        }
        return glyphs;
    }

    private int u8(int at) {
        return font.get(at) & 0xFF;
    }

    private int u16(int at) {
        return font.getShort(at) & 0xFFFF;
    }

    private long u32(int at) {
        return font.getInt(at) & 0xFFFF_FFFFL;
    }
}
