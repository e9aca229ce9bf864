package dev.parley.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which runtime {@code bin/parley} starts Parley on: the launcher runs with bash in a copy of the checkout whose JDKs
 * are fakes, each a folder with a {@code release} file and a {@code bin/java} script that writes down every time it
 * is run and with what. The first Java 21+ of PARLEY_JAVA, JAVA_HOME, the PATH's java and /usr/lib/jvm runs, and
 * no JVM is started to learn a version that a release file states.
 */
class LauncherTest {
    @TempDir
    Path temp;

    private Path launcher;
    private Path runs;

    @BeforeEach
    void copyTheLauncherBesideAJar() throws IOException {
        Path checkout = Files.createDirectories(temp.resolve("checkout/app"));
        Path bin = Files.createDirectories(checkout.resolve("bin"));
        launcher = Files.copy(Path.of("bin", "parley"), bin.resolve("parley"));
        Files.copy(Path.of("bin", "class-data.bash"), bin.resolve("class-data.bash"));
        Files.createFile(Files.createDirectories(checkout.resolve("target")).resolve("parley.jar"));
        runs = temp.resolve("runs");
        Files.createFile(runs);
    }

    /**
     * A fake JDK: its java appends "NAME ARGS…" to the runs file and, asked for its settings, answers with
     * {@code specification}. Its release file states {@code releaseVersion}, or there is none when that is null.
     */
    private Path jdk(String name, String releaseVersion, String specification) throws IOException {
        Path home = Files.createDirectories(temp.resolve("jdks").resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        // Asked to record or to make an ahead-of-time cache, it leaves the file a JVM leaves; it fails to make the
        // cache when its home holds a file named create-fails.
        Files.writeString(java, """
                #!/usr/bin/env bash
                echo "%s $*" >>'%s'
                echo "    java.specification.version = %s" >&2
                mode="" record="" cache=""
                for argument in "$@"; do
                  case $argument in
                    -XX:AOTMode=*) mode=${argument#*=} ;;
                    -XX:AOTConfiguration=*) record=${argument#*=} ;;
                    -XX:AOTCache=*) cache=${argument#*=} ;;
                  esac
                done
                if [ "$mode" = record ]; then echo recorded >"$record"; fi
                if [ "$mode" = create ]; then
                  [ -f '%s/create-fails' ] && exit 1
                  echo made >"$cache"
                fi
                """.formatted(name, runs, specification, home), UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (releaseVersion != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + releaseVersion
                    + "\"\nMODULES=\"java.base\"\n", UTF_8);
        }
        return java;
    }

    /** A folder for the PATH holding only a symbolic link named java to {@code java}. */
    private Path pathWith(Path java) throws IOException {
        Path folder = Files.createDirectories(temp.resolve("path-" + java.getParent().getParent().getFileName()));
        Files.createSymbolicLink(folder.resolve("java"), java);
        return folder;
    }

    /** Runs {@code bash bin/parley --version} with this environment; returns the lines of the runs file. */
    private List<String> launch(Map<String, String> environment) throws Exception {
        return launch(environment, "--version");
    }

    /** Runs {@code bash bin/parley ARGUMENTS} with this environment; returns the lines of the runs file. */
    private List<String> launch(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PARLEY_JAVA");
        builder.environment().remove("JAVA_HOME");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return Files.readAllLines(runs, UTF_8);
    }

    private static String path(Path first) {
        return first + ":" + System.getenv("PATH");
    }

    @Test
    void theJavaOnThePathIsFollowedToItsHomeWhoseReleaseFileSaysItIsNewEnoughSoOnlyParleyRuns() throws Exception {
        Path java = jdk("jdk-21", "21.0.5", "21");

        List<String> runs = launch(Map.of("PATH", path(pathWith(java))));

        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst()).startsWith("jdk-21 ").endsWith(" -jar " + launcher.getParent().getParent()
                .resolve("target/parley.jar") + " --version")
                .contains("-XX:SharedArchiveFile=").contains("parley-21-commands.jsa")
                .doesNotContain("--sun-misc-unsafe-memory-access");
    }

    @Test
    void anOlderRuntimeIsPassedOverWithoutBeingStarted() throws Exception {
        Path old = jdk("jdk-17", "17.0.15", "17");
        Path eight = jdk("jdk-8", "1.8.0_392", "1.8");
        Path newer = jdk("jdk-25", "25", "25");

        List<String> runs = launch(Map.of("PARLEY_JAVA", eight.toString(), "JAVA_HOME",
                old.getParent().getParent().toString(), "PATH", path(pathWith(newer))));

        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst()).startsWith("jdk-25 ").contains("--sun-misc-unsafe-memory-access=allow")
                .contains("parley-25-commands.jsa");
    }

    @Test
    void aJavaWithoutAReleaseFileIsAskedItsVersion() throws Exception {
        Path unlabelled = jdk("unlabelled", null, "22");

        List<String> runs = launch(Map.of("PARLEY_JAVA", unlabelled.toString()));

        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).isEqualTo("unlabelled -XshowSettings:properties -version");
        assertThat(runs.get(1)).startsWith("unlabelled ").endsWith(" --version").contains("parley-22-commands.jsa");
    }

    @Test
    void parleyJavaComesFirstWhenItIsNewEnough() throws Exception {
        Path chosen = jdk("chosen", "21.0.1", "21");
        Path other = jdk("other", "25.0.3", "25");

        List<String> runs = launch(Map.of("PARLEY_JAVA", chosen.toString(), "PATH", path(pathWith(other))));

        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst()).startsWith("chosen ");
    }

    @Test
    void theWindowAndTheCommandsEachHaveTheirOwnClassData() throws Exception {
        Path java = jdk("jdk-25", "25.0.1", "25");

        List<String> runs = launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p", "--no-mdns");
        launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p", "node", "--bootstrap", "none");

        assertThat(runs.get(0)).contains("-XX:AOTConfiguration=" + target().resolve("parley-25-window.aotconf"));
        assertThat(Files.readAllLines(this.runs, UTF_8).get(1)).contains("-XX:SharedArchiveFile="
                + target().resolve("parley-25-commands.jsa"));
    }

    /**
     * On Java 25 the window's first start records its classes, the second makes the cache from that record in the
     * background while it runs without one, and the third maps the cache.
     */
    @Test
    void theWindowOnJava25RecordsThenMakesAnAheadOfTimeCacheBesideItsStartThenMapsIt() throws Exception {
        Path java = jdk("jdk-25", "25.0.1", "25");
        Path record = target().resolve("parley-25-window.aotconf");
        Path cache = target().resolve("parley-25-window.aot");
        Path jar = target().resolve("parley.jar");

        String first = lastRun(launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p"));

        assertThat(first).contains("-XX:AOTMode=record -XX:AOTConfiguration=" + record)
                .contains("-XX:+DisplayVMOutputToStderr").endsWith(" -jar " + jar + " --profile p");
        assertThat(record).exists();

        String second = launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p").stream()
                .filter(run -> run.endsWith(" --profile p")).toList().get(1);
        awaitTrue("the cache made in the background", () -> Files.exists(cache)
                && !Files.exists(target().resolve("parley-25-window.aot.making")));

        assertThat(second).doesNotContain("-XX:AOT");
        assertThat(Files.readAllLines(runs, UTF_8)).filteredOn(run -> run.contains("-XX:AOTMode=create"))
                .singleElement().asString().contains("-XX:AOTConfiguration=" + record + " -XX:AOTCache=" + cache + ".")
                .endsWith(" -jar " + jar);
        assertThat(record).as("no longer needed").doesNotExist();
        assertThat(Files.list(target()).map(Path::getFileName).map(Path::toString))
                .as("nothing left half made").containsExactlyInAnyOrder("parley.jar", "parley-25-window.aot");

        String third = lastRun(launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p"));

        assertThat(third).contains("-XX:AOTCache=" + cache + " ").doesNotContain("AOTMode");
    }

    @Test
    void aRecordThatMakesNoCacheIsDroppedSoTheNextStartRecordsAgain() throws Exception {
        Path java = jdk("jdk-25", "25.0.1", "25");
        Files.createFile(java.getParent().getParent().resolve("create-fails"));
        Path record = target().resolve("parley-25-window.aotconf");

        launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p");
        assertThat(record).exists();
        launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p");
        awaitTrue("the failed cache cleared away", () -> !Files.exists(record)
                && !Files.exists(target().resolve("parley-25-window.aot.making")));
        String next = lastRun(launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p"));

        assertThat(Files.readAllLines(runs, UTF_8)).anyMatch(run -> run.contains("-XX:AOTMode=create"));
        assertThat(target().resolve("parley-25-window.aot")).doesNotExist();
        assertThat(next).contains("-XX:AOTMode=record");
    }

    @Test
    void theWindowOnJava21To24HasAClassDataArchive() throws Exception {
        Path java = jdk("jdk-24", "24.0.2", "24");

        String run = lastRun(launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p"));

        assertThat(run).contains("-XX:SharedArchiveFile=" + target().resolve("parley-24-window.jsa"))
                .doesNotContain("-XX:AOT");
    }

    /** The JVM ignores class data made for another jar but does not make it again: the launcher removes it. */
    @Test
    void classDataOlderThanTheJarOrTheRuntimeIsRemovedSoTheNextStartRecordsAnew() throws Exception {
        Path java = jdk("jdk-25", "25.0.1", "25");
        Path jar = target().resolve("parley.jar");
        Path window = Files.writeString(target().resolve("parley-25-window.aot"), "made");
        Path commands = Files.createFile(target().resolve("parley-25-commands.jsa"));
        Instant now = Instant.now();
        Files.setLastModifiedTime(java.getParent().getParent().resolve("release"), FileTime.from(now.minusSeconds(60)));
        Files.setLastModifiedTime(window, FileTime.from(now.minusSeconds(30)));
        Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(20)));
        Files.setLastModifiedTime(commands, FileTime.from(now.minusSeconds(10)));

        String windowRun = lastRun(launch(Map.of("PARLEY_JAVA", java.toString()), "--profile", "p"));
        launch(Map.of("PARLEY_JAVA", java.toString()), "--version");

        assertThat(windowRun).as("made before the jar was built").contains("-XX:AOTMode=record")
                .doesNotContain("-XX:AOTCache=");
        assertThat(window).doesNotExist();
        assertThat(commands).as("made after the jar").exists();

        Files.setLastModifiedTime(java.getParent().getParent().resolve("release"), FileTime.from(now));
        launch(Map.of("PARLEY_JAVA", java.toString()), "--version");

        assertThat(commands).as("made before the runtime was installed").doesNotExist();
    }

    private Path target() {
        return launcher.getParent().getParent().resolve("target");
    }

    private static String lastRun(List<String> runs) {
        return runs.getLast();
    }

    /** Waits for what the launcher does in the background; a test that ended first would lose its files under it. */
    private static void awaitTrue(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
