package dev.parley.app.engine.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The names received files are saved under. A file offer's name is chosen by its sender, who may be hostile:
 * {@link #sanitise} turns it into one name, without a folder, that can be created on Linux, macOS and Windows and
 * reads on screen as what it is; {@link #unusedIn} and {@link #createUnusedIn} find it a place beside the files
 * already there ("name (1).ext") without ever replacing one. See app/README.md, "Files: names and images".
 */
public final class FileNames {
    /**
     * Longest name, in UTF-8 bytes. Linux and macOS take 255 bytes, Windows 255 UTF-16 units (at most 255 × 3 bytes
     * in UTF-8, so the byte limit is the stricter); 200 leaves room for " (1234)" and for the ".part" a download may
     * add while it runs.
     */
    static final int MAX_NAME_BYTES = 200;
    /**
     * Longest text after the last dot still kept as an extension when a name is cut: real ones are a few letters,
     * and a longer "extension" would leave no room for the name.
     */
    static final int MAX_EXTENSION_BYTES = 32;
    /** What an offered name with nothing usable left in it becomes. */
    static final String EMPTY_NAME = "file";
    /** Windows refuses these in a name (besides control characters): they are its path and wildcard syntax. */
    private static final String WINDOWS_REFUSED = "<>:\"|?*";
    /**
     * Names Windows takes for devices whatever the extension and the case ("con.txt" opens the console): a file
     * cannot be created under them there, and one copied there from Linux breaks. The superscript digits count too.
     */
    private static final Set<String> WINDOWS_DEVICE_NAMES = windowsDeviceNames();

    /**
     * Characters that Unicode counts as letters or symbols but that show as nothing: the Hangul fillers (U+115F,
     * U+1160, U+3164, U+FFA0), the braille pattern blank (U+2800), the Khmer inherent vowels (U+17B4, U+17B5).
     */
    private static final String BLANK_LETTERS_AND_SYMBOLS = "\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5";

    private FileNames() {
    }

    /**
     * The name to save an offered file under: the last part of {@code offered} with every character that could hide
     * or change what the name says removed, at most {@value #MAX_NAME_BYTES} UTF-8 bytes, never empty.
     */
    public static String sanitise(String offered) {
        return sanitise(offered, MAX_NAME_BYTES);
    }

    /**
     * As {@link #sanitise(String)}, at most {@code maxBytes} UTF-8 bytes (at most {@value #MAX_NAME_BYTES}): a name
     * that something else comes before, such as an export's copy named after its hash.
     */
    public static String sanitise(String offered, int maxBytes) {
        Objects.requireNonNull(offered, "offered");
        if (maxBytes < MAX_EXTENSION_BYTES + 8 || maxBytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a name of at most " + maxBytes + " bytes");
        }
        // The last part only: a sender writes "../../.bashrc" or "..\..\x.exe" to get a file out of the folder it
        // is saved in. Both separators count, since a name made on one system is saved on another.
        String name = offered.substring(Math.max(offered.lastIndexOf('/'), offered.lastIndexOf('\\')) + 1);
        name = withoutHiddenAndRefusedCharacters(name);
        name = withBlanksAsOneSpace(name);
        // NFC, so that "é" written as e + U+0301 and as U+00E9 is one name: macOS folds names to its own form, and a
        // name that looks the same as another must not be a different file beside it. After the removals, since
        // removing a character can bring a letter and its accent together.
        name = Normalizer.normalize(name, Normalizer.Form.NFC);
        // No leading dot: ".bashrc" would be a hidden file (and "." and ".." are no files at all). No leading
        // space either: " .bashrc" looks like the hidden name in a list and sorts before every other.
        name = stripLeading(name, ". ");
        // No trailing dot or space: Windows drops them when it creates the file, so "x.exe." would be "x.exe" there,
        // and Explorer cannot open or delete a file that keeps them.
        name = stripTrailing(name, ". ");
        name = cut(name, maxBytes);
        if (isWindowsDeviceName(name)) {
            name = "_" + cut(name, maxBytes - 1);
        }
        return name.isEmpty() ? EMPTY_NAME : name;
    }

    /**
     * The path in {@code folder} for {@code sanitisedName} that holds nothing yet: the name itself, else
     * "name (1).ext", "name (2).ext" and so on, counted before the last dot ("archive.tar (1).gz", the same rule as
     * the extension {@link #sanitise} keeps). A symbolic link counts as taken, even one that points nowhere. Only a
     * suggestion (a Save dialog's): another process can take the name before it is used, which
     * {@link #createUnusedIn} rules out.
     *
     * @throws IllegalArgumentException when {@code sanitisedName} is not what {@link #sanitise} makes
     */
    public static Path unusedIn(Path folder, String sanitisedName) {
        requireSanitised(sanitisedName);
        for (int number = 0;; number++) {
            Path candidate = folder.resolve(numbered(sanitisedName, number));
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /**
     * The regular files of {@link #unusedIn}'s series for {@code sanitisedName} that exist in {@code folder}, in
     * order, up to the first free name (a symbolic link is skipped, never followed).
     */
    public static List<Path> takenIn(Path folder, String sanitisedName) {
        requireSanitised(sanitisedName);
        List<Path> taken = new ArrayList<>();
        for (int number = 0;; number++) {
            Path candidate = folder.resolve(numbered(sanitisedName, number));
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return taken;
            }
            if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                taken.add(candidate);
            }
        }
    }

    /**
     * Creates an empty file in {@code folder} under the first name of {@link #unusedIn}'s series that is free and
     * returns it. Each name is tried with {@code CREATE_NEW} (the system's exclusive create, which also fails on a
     * symbolic link), so two saves at once, in this process or another, never get the same file, and nothing that
     * exists is ever replaced or followed.
     *
     * @param attributes as for {@link Files#createFile}, e.g. the profile's owner-only permissions, set as it is
     *            created
     * @throws IllegalArgumentException when {@code sanitisedName} is not what {@link #sanitise} makes
     * @throws IOException when the folder cannot be written
     */
    public static Path createUnusedIn(Path folder, String sanitisedName, FileAttribute<?>... attributes)
            throws IOException {
        requireSanitised(sanitisedName);
        for (int number = 0;; number++) {
            try {
                return Files.createFile(folder.resolve(numbered(sanitisedName, number)), attributes);
            } catch (FileAlreadyExistsException taken) {
                // Someone has this name: the next number.
            }
        }
    }

    private static String withoutHiddenAndRefusedCharacters(String name) {
        StringBuilder kept = new StringBuilder(name.length());
        name.codePoints().filter(FileNames::isKept).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    /**
     * Each run of characters that show as blank space, whatever Unicode calls them (spaces of every width, the Hangul
     * fillers, the braille blank), as one space: "invoice.pdf" and 80 ideographic spaces before ".exe" would read as
     * "invoice.pdf" wherever the name is cut to fit, and run as a program.
     */
    private static String withBlanksAsOneSpace(String name) {
        StringBuilder kept = new StringBuilder(name.length());
        boolean afterBlank = false;
        for (int codePoint : name.codePoints().toArray()) {
            boolean blank = isBlank(codePoint);
            if (!blank) {
                kept.appendCodePoint(codePoint);
            } else if (!afterBlank) {
                kept.append(' ');
            }
            afterBlank = blank;
        }
        return kept.toString();
    }

    private static boolean isBlank(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.getType(codePoint) == Character.SPACE_SEPARATOR
                || BLANK_LETTERS_AND_SYMBOLS.indexOf(codePoint) >= 0;
    }

    private static boolean isKept(int codePoint) {
        return switch (Character.getType(codePoint)) {
            // Control characters (NUL, newline, tab, DEL, C1): NUL ends a name for the system, the rest break it over
            // lines or columns in a list, and Windows refuses 1–31.
            case Character.CONTROL -> false;
            // Format characters: the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
            // marks (U+200E, U+200F, U+061C) reorder what follows on screen, so "photo\u202Egpj.exe" shows as
            // "photoexe.jpg"; the zero-width ones (U+200B–U+200D, U+2060, U+FEFF) make two names look the same.
            case Character.FORMAT -> false;
            // A line or paragraph separator starts a new line where a name is shown.
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            // Half a surrogate pair is no character: Java would write it as "?", which Windows refuses.
            case Character.SURROGATE -> false;
            // The separators were cut off above, but a name may not keep what Windows refuses either.
            default -> codePoint != '/' && codePoint != '\\' && WINDOWS_REFUSED.indexOf(codePoint) < 0;
        };
    }

    /**
     * {@code name} cut to at most {@code maxBytes} UTF-8 bytes, keeping its {@link #extension} and cutting the rest at
     * a character boundary: after a whole grapheme (an emoji sequence, a letter with its accents) where one fits,
     * never inside a code point (so never between the halves of a surrogate pair).
     */
    private static String cut(String name, int maxBytes) {
        if (utf8Length(name) <= maxBytes) {
            return name;
        }
        String extension = extension(name);
        String stem = name.substring(0, name.length() - extension.length());
        return stripTrailing(prefixOf(stem, maxBytes - utf8Length(extension)), ". ") + extension;
    }

    /** The longest start of {@code text} of at most {@code maxBytes} UTF-8 bytes that ends between graphemes. */
    private static String prefixOf(String text, int maxBytes) {
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = utf8Length(codePoint);
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        if (end == text.length()) {
            return text;
        }
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(text);
        int graphemeEnd = graphemes.isBoundary(end) ? end : graphemes.preceding(end);
        // A single grapheme longer than the room (a letter under hundreds of accents) is cut between code points.
        return text.substring(0, graphemeEnd > 0 ? graphemeEnd : end);
    }

    /**
     * From the last dot on (".gz" of "archive.tar.gz"); "" when there is none, when the name starts with it, or when
     * it is longer than {@value #MAX_EXTENSION_BYTES} bytes.
     */
    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 ? name.substring(dot) : "";
        return utf8Length(extension) <= MAX_EXTENSION_BYTES ? extension : "";
    }

    private static String numbered(String sanitisedName, int number) {
        if (number == 0) {
            return sanitisedName;
        }
        String extension = extension(sanitisedName);
        String suffix = " (" + number + ")";
        String stem = sanitisedName.substring(0, sanitisedName.length() - extension.length());
        // The number must fit within the longest name too, so a long stem gives way to it.
        int room = MAX_NAME_BYTES - utf8Length(suffix) - utf8Length(extension);
        return prefixOf(stem, room) + suffix + extension;
    }

    private static boolean isWindowsDeviceName(String name) {
        // Windows reads the device name before the first dot, and ignores spaces before that dot ("CON .txt").
        int dot = name.indexOf('.');
        String base = stripTrailing(dot < 0 ? name : name.substring(0, dot), " ");
        return WINDOWS_DEVICE_NAMES.contains(base.toUpperCase(Locale.ROOT));
    }

    private static Set<String> windowsDeviceNames() {
        Set<String> names = new HashSet<>(Set.of("CON", "PRN", "AUX", "NUL"));
        for (String port : new String[] {"COM", "LPT"}) {
            for (String digit : new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"}) {
                names.add(port + digit);
            }
        }
        return Set.copyOf(names);
    }

    private static void requireSanitised(String name) {
        if (!sanitise(name).equals(name)) {
            throw new IllegalArgumentException("not a sanitised file name: " + name);
        }
    }

    private static String stripLeading(String text, String characters) {
        int start = 0;
        while (start < text.length() && characters.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        return text.substring(start);
    }

    private static String stripTrailing(String text, String characters) {
        int end = text.length();
        while (end > 0 && characters.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(0, end);
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
