package dev.parley.app.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names a hostile sender offers, and where they end up on disk. */
class FileNamesTest {
    @TempDir
    Path folder;

    @Test
    void aPathKeepsOnlyItsLastPartWhicheverSeparatorItUses() {
        assertThat(FileNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitise("..\\..\\x.exe")).isEqualTo("x.exe");
        assertThat(FileNames.sanitise("a/b/c.txt")).isEqualTo("c.txt");
        assertThat(FileNames.sanitise("C:\\Users\\bob\\Desktop\\report.pdf")).isEqualTo("report.pdf");
        assertThat(FileNames.sanitise("/")).isEqualTo(FileNames.EMPTY_NAME);
        assertThat(FileNames.sanitise("folder/")).isEqualTo(FileNames.EMPTY_NAME);
    }

    @Test
    void aRightToLeftOverrideCannotDisguiseAProgramAsAPhoto() {
        // Shown as "photoexe.jpg" with the override; without it the name ends in what it is.
        String name = FileNames.sanitise("photo\u202Egpj.exe");

        assertThat(name).isEqualTo("photogpj.exe").endsWith(".exe");
        assertThat(FileNames.sanitise("\u2067photo\u2069\u200F.jpg\u200E.exe")).isEqualTo("photo.jpg.exe");
    }

    @Test
    void everyBidiControlAndZeroWidthCharacterIsRemoved() {
        String controls = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C";
        String invisible = "\u200B\u200C\u200D\u2060\uFEFF\u00AD";

        assertThat(FileNames.sanitise("a" + controls + "b" + invisible + "c.txt")).isEqualTo("abc.txt");
        assertThat(FileNames.sanitise(controls + invisible)).as("only bidi and invisible characters")
                .isEqualTo(FileNames.EMPTY_NAME);
    }

    @Test
    void controlCharactersAndLineSeparatorsAreRemoved() {
        assertThat(FileNames.sanitise("a\u0000b.txt")).isEqualTo("ab.txt");
        assertThat(FileNames.sanitise("two\nlines\r.txt")).isEqualTo("twolines.txt");
        assertThat(FileNames.sanitise("tab\tbed.txt")).isEqualTo("tabbed.txt");
        assertThat(FileNames.sanitise("del\u007F\u0085\u009B.txt")).isEqualTo("del.txt");
        assertThat(FileNames.sanitise("line\u2028para\u2029.txt")).isEqualTo("linepara.txt");
        assertThat(FileNames.sanitise("half\uD83D.txt")).as("half a surrogate pair").isEqualTo("half.txt");
    }

    @Test
    void charactersWindowsRefusesAreRemoved() {
        assertThat(FileNames.sanitise("a<b>c:d\"e|f?g*h.txt")).isEqualTo("abcdefgh.txt");
    }

    @ParameterizedTest
    @CsvSource({"CON, _CON", "con.txt, _con.txt", "Nul.tar.gz, _Nul.tar.gz", "aux, _aux", "PRN.md, _PRN.md",
            "COM1, _COM1", "lpt9.log, _lpt9.log", "COM\u00B9.txt, _COM\u00B9.txt", "'CON .txt', '_CON .txt'",
            "CONSOLE.txt, CONSOLE.txt", "COM10, COM10", "con_.txt, con_.txt"})
    void windowsDeviceNamesGetAPrefix(String offered, String saved) {
        assertThat(FileNames.sanitise(offered)).isEqualTo(saved);
    }

    @Test
    void noNameIsHiddenOrADotOrEmpty() {
        assertThat(FileNames.sanitise(".bashrc")).isEqualTo("bashrc");
        assertThat(FileNames.sanitise("..")).isEqualTo(FileNames.EMPTY_NAME);
        assertThat(FileNames.sanitise(".")).isEqualTo(FileNames.EMPTY_NAME);
        assertThat(FileNames.sanitise("...")).isEqualTo(FileNames.EMPTY_NAME);
        assertThat(FileNames.sanitise("")).isEqualTo(FileNames.EMPTY_NAME);
        assertThat(FileNames.sanitise(" . .bashrc")).isEqualTo("bashrc");
        assertThat(FileNames.sanitise("\u202E.bashrc")).as("a dot behind an invisible character").isEqualTo("bashrc");
    }

    @Test
    void trailingDotsAndSpacesGo() {
        assertThat(FileNames.sanitise("x.exe.")).isEqualTo("x.exe");
        assertThat(FileNames.sanitise("notes.txt . . ")).isEqualTo("notes.txt");
        assertThat(FileNames.sanitise("a b.txt")).as("spaces inside stay").isEqualTo("a b.txt");
    }

    @Test
    void namesAreNormalisedToNfc() {
        String decomposed = "Cafe\u0301.txt";
        String composed = "Caf\u00E9.txt";

        assertThat(FileNames.sanitise(decomposed)).isEqualTo(composed);
        assertThat(FileNames.sanitise("Cafe\u200B\u0301.txt")).as("an accent brought to its letter by a removal")
                .isEqualTo(composed);
    }

    @Test
    void aLongNameOfEmojiIsCutToTwoHundredBytesWithItsExtensionAndNoBrokenCharacter() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // joined by U+200D, ZWJ
        String offered = "\uD83D\uDE00".repeat(150) + ".jpeg"; // 600 bytes of emoji, then the extension

        String name = FileNames.sanitise(offered);

        assertThat(utf8Length(offered)).isEqualTo(605);
        assertThat(utf8Length(name)).isLessThanOrEqualTo(FileNames.MAX_NAME_BYTES).isGreaterThan(190);
        assertThat(name).endsWith(".jpeg").isEqualTo("\uD83D\uDE00".repeat(48) + ".jpeg");
        assertThat(new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(name);

        String flag = "\uD83C\uDDE9\uD83C\uDDEA"; // two regional indicators, 8 bytes
        assertThat(FileNames.sanitise(flag.repeat(40) + ".png")).as("cut between graphemes, not inside a flag")
                .isEqualTo(flag.repeat(24) + ".png");
        assertThat(FileNames.sanitise(family + ".png")).as("ZWJ is a format character: the family falls apart")
                .isEqualTo("\uD83D\uDC68\uD83D\uDC69\uD83D\uDC67.png");
    }

    @Test
    void aNameWithoutAShortExtensionIsCutWhole() {
        String longExtension = "a." + "b".repeat(300);
        assertThat(FileNames.sanitise(longExtension)).isEqualTo("a." + "b".repeat(198));
        assertThat(FileNames.sanitise("é".repeat(150))).isEqualTo("é".repeat(100));
        assertThat(FileNames.sanitise("x".repeat(198) + " ." + "y".repeat(100)))
                .as("no trailing dot or space after the cut").isEqualTo("x".repeat(198));
    }

    /** Properties every sanitised name has, over names made of the characters a hostile sender would pick. */
    @Test
    void anySanitisedNameIsStableShortAndCreatableHere() throws Exception {
        int[] alphabet = {'a', 'Z', '0', '.', ' ', '/', '\\', ':', '*', '?', '"', '<', '>', '|', 0, '\n', 0x7F, 0x85,
                0x202E, 0x2066, 0x200B, 0xFEFF, 0x0301, 0xE9, 0x4E2D, 0x1F600, 0x1F1E9, 0xD800, 0xDC00, 0x2028};
        Random random = new Random(23);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder offered = new StringBuilder();
            int length = random.nextInt(i % 10 == 0 ? 300 : 12);
            for (int c = 0; c < length; c++) {
                offered.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
            }

            String name = FileNames.sanitise(offered.toString());

            assertThat(FileNames.sanitise(name)).as("stable for %s", offered).isEqualTo(name);
            assertThat(name).isNotEmpty().doesNotStartWith(".").doesNotStartWith(" ").doesNotEndWith(".")
                    .doesNotEndWith(" ")
                    .doesNotContain("/", "\\", ":", "*", "?", "\"", "<", ">", "|");
            assertThat(name.codePoints().filter(cp -> Character.isISOControl(cp)
                    || Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.SURROGATE))
                    .isEmpty();
            assertThat(Normalizer.isNormalized(name, Normalizer.Form.NFC)).isTrue();
            assertThat(utf8Length(name)).isLessThanOrEqualTo(FileNames.MAX_NAME_BYTES);
            Path created = FileNames.createUnusedIn(folder, name);
            assertThat(created.getParent()).isEqualTo(folder);
            Files.delete(created);
        }
    }

    @Test
    void anUnusedNameIsNumberedBeforeTheExtension() throws Exception {
        assertThat(FileNames.unusedIn(folder, "a.txt")).isEqualTo(folder.resolve("a.txt"));
        Files.createFile(folder.resolve("a.txt"));
        assertThat(FileNames.unusedIn(folder, "a.txt")).isEqualTo(folder.resolve("a (1).txt"));
        Files.createFile(folder.resolve("a (1).txt"));
        assertThat(FileNames.unusedIn(folder, "a.txt")).isEqualTo(folder.resolve("a (2).txt"));

        Files.createFile(folder.resolve("README"));
        assertThat(FileNames.unusedIn(folder, "README")).isEqualTo(folder.resolve("README (1)"));
        Files.createFile(folder.resolve("archive.tar.gz"));
        assertThat(FileNames.unusedIn(folder, "archive.tar.gz")).isEqualTo(folder.resolve("archive.tar (1).gz"));
    }

    @Test
    void aSymbolicLinkEvenOnePointingNowhereIsTaken() throws Exception {
        Path outside = folder.resolve("outside");
        Files.createDirectory(outside);
        Path inside = Files.createDirectory(folder.resolve("inside"));
        Files.createSymbolicLink(inside.resolve("notes.txt"), outside.resolve("missing.txt"));

        assertThat(FileNames.unusedIn(inside, "notes.txt")).isEqualTo(inside.resolve("notes (1).txt"));
        assertThat(FileNames.createUnusedIn(inside, "notes.txt")).isEqualTo(inside.resolve("notes (1).txt"));
        assertThat(outside.resolve("missing.txt")).as("nothing created through the link").doesNotExist();
    }

    @Test
    void aNumberedLongNameStaysWithinTheLimit() throws Exception {
        String name = FileNames.sanitise("n".repeat(300) + ".txt");
        Files.createFile(folder.resolve(name));

        Path numbered = FileNames.createUnusedIn(folder, name);

        assertThat(numbered.getFileName().toString()).isEqualTo("n".repeat(192) + " (1).txt");
        assertThat(utf8Length(numbered.getFileName().toString())).isEqualTo(FileNames.MAX_NAME_BYTES);
    }

    @Test
    void onlySanitisedNamesArePlaced() {
        assertThatThrownBy(() -> FileNames.unusedIn(folder, "../x.txt")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileNames.createUnusedIn(folder, ".bashrc"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void savesAtOnceFromManyThreadsEachGetTheirOwnFile() throws Exception {
        int threads = 8;
        int savesEach = 25;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<Path>>> savers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            savers.add(() -> {
                start.await();
                List<Path> created = new ArrayList<>();
                for (int i = 0; i < savesEach; i++) {
                    created.add(FileNames.createUnusedIn(folder, "photo.jpg"));
                }
                return created;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Path>>> results = new ArrayList<>();
            for (Callable<List<Path>> saver : savers) {
                results.add(pool.submit(saver));
            }
            start.countDown();
            Set<Path> all = new HashSet<>();
            for (Future<List<Path>> result : results) {
                all.addAll(result.get(60, TimeUnit.SECONDS));
            }

            assertThat(all).hasSize(threads * savesEach);
            try (var listed = Files.list(folder)) {
                assertThat(listed.count()).isEqualTo(threads * savesEach);
            }
            assertThat(all).contains(folder.resolve("photo.jpg"), folder.resolve("photo (199).jpg"));
        } finally {
            pool.shutdownNow();
        }
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
