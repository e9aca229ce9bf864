package dev.parley.app.ui.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The bundles against each other and against the code: every key in both languages, every key the code asks for in
 * the bundles, every key in the bundles used somewhere, every value a pattern that formats as its author meant.
 */
class TextsBundleTest {
    /** The desktop app's sources, read from the module's folder (where Maven runs the tests). */
    static final Path UI_SOURCES = Path.of("src/main/java/dev/parley/app/ui");
    /**
     * {@code text("key"…)} or {@code Texts.text(locale, "key"…)}, and both keys of {@code text(busy ? "a" : "b")}: the
     * keys the code asks for by name.
     */
    private static final Pattern TEXT_CALL = Pattern.compile(
            "\\btext\\(\\s*(?:\\w+\\s*,\\s*)?(?:[^\";]*?\\?\\s*)?\"([^\"]+)\"(?:\\s*:\\s*\"([^\"]+)\")?", Pattern.DOTALL);
    private static final Pattern SINGLE_APOSTROPHE = Pattern.compile("(?<!')'(?!')");
    private static final Pattern ARGUMENT = Pattern.compile("\\{(\\d+)");

    @Test
    void everyKeyIsInBothLanguages() {
        Set<String> english = bundle("texts.properties").stringPropertyNames();
        Set<String> german = bundle("texts_de.properties").stringPropertyNames();
        assertThat(difference(english, german)).as("keys in English that German lacks").isEmpty();
        assertThat(difference(german, english)).as("keys in German that English lacks").isEmpty();
    }

    @Test
    void everyKeyTheCodeAsksForIsInTheBundle() {
        Set<String> english = bundle("texts.properties").stringPropertyNames();
        Map<String, Path> asked = new TreeMap<>();
        forEachSource((file, source) -> {
            Matcher call = TEXT_CALL.matcher(source);
            while (call.find()) {
                asked.put(call.group(1), file);
                if (call.group(2) != null) {
                    asked.put(call.group(2), file);
                }
            }
        });
        assertThat(asked).as("the scan finds the calls").containsKeys("settings.title", "addContact.adding");
        asked.keySet().removeAll(english);
        assertThat(asked).as("keys asked for in the code (and where) that no bundle has").isEmpty();
    }

    @Test
    void everyKeyIsUsedSomewhere() {
        Set<String> unused = new TreeSet<>(bundle("texts.properties").stringPropertyNames());
        forEachSource((file, source) -> unused.removeIf(key -> source.contains("\"" + key + "\"")));
        assertThat(unused).as("keys that no source under ui/ names: unused texts").isEmpty();
    }

    @Test
    void everyValueIsAPatternWithDoubledApostrophesAndTheSameArgumentsInBothLanguages() {
        Properties english = bundle("texts.properties");
        Properties german = bundle("texts_de.properties");
        for (var language : Map.of(Locale.ENGLISH, english, Locale.GERMAN, german).entrySet()) {
            for (String key : language.getValue().stringPropertyNames()) {
                String value = language.getValue().getProperty(key);
                assertThat(SINGLE_APOSTROPHE.matcher(value).find())
                        .as("%s in %s has a single apostrophe, which MessageFormat swallows: write ''", key,
                                language.getKey())
                        .isFalse();
                try {
                    new MessageFormat(value, language.getKey());
                } catch (IllegalArgumentException e) {
                    throw new AssertionError(key + " in " + language.getKey() + " is no MessageFormat pattern: "
                            + e.getMessage(), e);
                }
            }
        }
        for (String key : english.stringPropertyNames()) {
            if (german.containsKey(key)) {
                assertThat(arguments(german.getProperty(key))).as("the arguments of %s in German", key)
                        .isEqualTo(arguments(english.getProperty(key)));
            }
        }
    }

    @Test
    void pluralsAndArgumentsFormatInEachLanguage() {
        assertThat(Texts.text(Locale.ENGLISH, "rooms.line.joined", "Team", 1)).isEqualTo("Team · 1 member");
        assertThat(Texts.text(Locale.ENGLISH, "rooms.line.joined", "Team", 3)).isEqualTo("Team · 3 members");
        assertThat(Texts.text(Locale.GERMAN, "rooms.line.joined", "Team", 1)).isEqualTo("Team · 1 Mitglied");
        assertThat(Texts.text(Locale.GERMAN, "rooms.line.joined", "Team", 1_200)).isEqualTo("Team · 1.200 Mitglieder");
        assertThat(Texts.text(Locale.ENGLISH, "main.senderGone")).contains("message's sender");
        assertThat(Texts.text(Locale.ENGLISH, "no.such.key")).isEqualTo("⟦no.such.key⟧");
    }

    private static Set<String> arguments(String pattern) {
        Set<String> found = new TreeSet<>();
        Matcher argument = ARGUMENT.matcher(pattern);
        while (argument.find()) {
            found.add(argument.group(1));
        }
        return found;
    }

    private static Set<String> difference(Set<String> these, Set<String> without) {
        Set<String> left = new TreeSet<>(these);
        left.removeAll(without);
        return left;
    }

    static Properties bundle(String name) {
        Properties values = new Properties();
        try (InputStream in = Texts.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            values.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    interface SourceReader {
        void read(Path file, String source);
    }

    static void forEachSource(SourceReader reader) {
        try (Stream<Path> files = Files.walk(UI_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                reader.read(file, Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
