package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.crypto.file.FileChunks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MiB file fetched between two real {@code parley chat --json} processes survives a SIGKILL of either side:
 * the fetch resumes by itself where the receiver last recorded what it holds, and the saved file is the one sent.
 * Ada's {@code /served} counts the sealed chunk bytes her uplink carried, so a fetch that started over would show.
 */
class FileKillChatTest {
    private static final long FILE_BYTES = 200L * 1024 * 1024;
    private static final long CHUNK = FileChunks.CHUNK_SIZE;
    private static final long SEALED_CHUNK = CHUNK + FileChunks.TAG_SIZE;
    /** {@code FileFetch.CHECKPOINT_BYTES}: what a fetch writes between two records of the chunks it holds. */
    private static final long CHECKPOINT_BYTES = 16L * 1024 * 1024;
    /** {@code FileFetch.CHUNKS_IN_FLIGHT}: the chunks a fetch asks of one holder ahead. */
    private static final long CHUNKS_IN_FLIGHT = 32;
    /** Long enough for 200 MiB to be copied into Ada's profile and fetched on a slow shared machine. */
    private static final Duration TRANSFER = Duration.ofSeconds(180);

    @TempDir
    Path temp;
    private final List<ChatProcess> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(ChatProcess::close);
    }

    @Test
    void aReceiverKilledAtFortyPercentResumesAtStartFromItsLastCheckpoint() throws Exception {
        ChatProcess ada = chat("ada", "Ada");
        ChatProcess killedBo = chat("bo", "Bo");
        SentFile sent = randomFile("receiver-killed.bin", 23);
        ChatProcess.withTranscripts(started, () -> {
            int number = offer(ada, killedBo, sent);
            killedBo.send("/get " + number);
            killedBo.await("file", node -> node.path("bytes").asLong() >= FILE_BYTES * 40 / 100, TRANSFER);
            kill(killedBo);
            long heldBeforeKill = killedBo.events("file").stream().mapToLong(node -> node.path("bytes").asLong())
                    .max().orElseThrow();

            long startedAt = System.nanoTime();
            ChatProcess bo = chat("bo", "Bo");
            bo.await("ready");
            long readyAt = System.nanoTime();
            JsonNode first = bo.await("file", node -> true);
            bo.await("file", node -> node.path("bytes").asLong() > heldBeforeKill, TRANSFER);
            long resumedAt = System.nanoTime();
            System.out.println("FIGURE resume-after-kill-ms=" + TimeUnit.NANOSECONDS.toMillis(resumedAt - startedAt)
                    + " (ready after " + TimeUnit.NANOSECONDS.toMillis(readyAt - startedAt) + " ms; held "
                    + heldBeforeKill + " bytes at the kill, " + first.path("bytes").asLong() + " at the restart)");
            // FileFetch starts a record of what it holds each time a chunk brings CHECKPOINT_BYTES since the last
            // one, on a thread of its own, and a stream waits at the next one until the one before is done: whatever
            // an event said, the record lagged it by two checkpoints less one chunk at most.
            assertThat(first.path("state").asText()).isIn("waiting", "fetching");
            assertThat(first.path("bytes").asLong()).as("what the restarted fetch holds from the start")
                    .isGreaterThanOrEqualTo(heldBeforeKill - (2 * CHECKPOINT_BYTES - CHUNK));

            JsonNode complete = bo.await("file", node -> node.path("state").asText().equals("complete"), TRANSFER);
            assertThat(saved(bo, complete)).isEqualTo(sent.sha256());
            // The chunks served twice are those taken since the last record and those asked ahead at the kill.
            assertThat(served(ada)).as("sealed bytes Ada served")
                    .isGreaterThanOrEqualTo(sealedSize(FILE_BYTES))
                    .isLessThanOrEqualTo(sealedSize(FILE_BYTES) + (2 * CHECKPOINT_BYTES / CHUNK + CHUNKS_IN_FLIGHT)
                            * SEALED_CHUNK);
        });
    }

    @Test
    void aSenderKilledAtSeventyPercentIsWaitedForAndTheFetchGoesOnWhenSheIsBack() throws Exception {
        ChatProcess killedAda = chat("ada", "Ada");
        ChatProcess bo = chat("bo", "Bo");
        SentFile sent = randomFile("sender-killed.bin", 42);
        ChatProcess.withTranscripts(started, () -> {
            int number = offer(killedAda, bo, sent);
            bo.send("/get " + number);
            bo.await("file", node -> node.path("bytes").asLong() >= FILE_BYTES * 70 / 100, TRANSFER);
            kill(killedAda);
            JsonNode waiting = bo.await("file", node -> node.path("state").asText().equals("waiting")
                    && node.path("bytes").asLong() >= FILE_BYTES * 70 / 100);
            long held = waiting.path("bytes").asLong();

            ChatProcess ada = chat("ada", "Ada");
            JsonNode complete = bo.await("file", node -> node.path("state").asText().equals("complete"), TRANSFER);
            assertThat(bo.events("file").stream().dropWhile(node -> node != waiting)
                    .mapToLong(node -> node.path("bytes").asLong())).as("what Bo holds, from the wait on")
                    .allMatch(bytes -> bytes >= held);
            assertThat(saved(bo, complete)).isEqualTo(sent.sha256());
            // Chunks asked of a stream that broke are asked again: at most those in flight.
            assertThat(served(ada)).as("sealed bytes the restarted Ada served: the chunks Bo was missing")
                    .isGreaterThanOrEqualTo(sealedSize(FILE_BYTES - held))
                    .isLessThanOrEqualTo(sealedSize(FILE_BYTES - held) + CHUNKS_IN_FLIGHT * SEALED_CHUNK);
        });
    }

    /** Starts a chat; its commands wait in its input until it is ready. */
    private ChatProcess chat(String profile, String name) throws IOException {
        ChatProcess chat = new ChatProcess(temp.resolve(profile), name, "--json");
        started.add(chat);
        return chat;
    }

    /** Ada and Bo become contacts, Ada offers the file, and Bo's line for it comes: returns its number at Bo. */
    private static int offer(ChatProcess ada, ChatProcess bo, SentFile sent) {
        bo.send("/invite");
        ada.send("/add " + bo.await("invite").path("code").asText());
        ada.send("/invite");
        bo.send("/add " + ada.await("invite").path("code").asText());
        ada.await("contact", node -> node.path("state").asText().equals("ACCEPTED"));
        bo.await("contact", node -> node.path("state").asText().equals("ACCEPTED"));
        ada.send("/send Bo " + sent.path());
        JsonNode message = bo.await("message", node -> node.has("fileName"), TRANSFER);
        assertThat(message.path("fileName").asText()).isEqualTo(sent.path().getFileName().toString());
        assertThat(message.path("fileSize").asLong()).isEqualTo(FILE_BYTES);
        assertThat(message.path("fileState").asText()).isEqualTo("offered");
        return message.path("number").asInt();
    }

    /**
     * SIGKILL, no shutdown hook run; the process is gone from the system, and every line it printed read, before this
     * returns.
     */
    private static void kill(ChatProcess chat) throws InterruptedException {
        Process process = chat.process();
        long pid = process.pid();
        assertThat(process.destroyForcibly().waitFor(20, TimeUnit.SECONDS)).as("pid %d died", pid).isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d", pid).isEmpty();
        assertThat(chat.awaitOutputEnd()).as("the end of what pid %d printed", pid).isTrue();
    }

    /** Saves the file of the message a "file" event is about; returns the saved copy's SHA-256. */
    private String saved(ChatProcess chat, JsonNode fileEvent) throws Exception {
        Path folder = Files.createDirectories(temp.resolve("saved"));
        chat.send("/save " + fileEvent.path("number").asInt() + " " + folder);
        Path copy = Path.of(chat.await("saved").path("path").asText());
        assertThat(copy.getParent()).isEqualTo(folder);
        return sha256(copy);
    }

    private static long served(ChatProcess chat) {
        int before = chat.events("served").size();
        chat.send("/served");
        return chat.await("served", node -> chat.events("served").size() > before).path("bytes").asLong();
    }

    private static long sealedSize(long plainBytes) {
        return plainBytes + FileChunks.chunkCount(plainBytes, FileChunks.CHUNK_SIZE) * FileChunks.TAG_SIZE;
    }

    private record SentFile(Path path, String sha256) {
    }

    private SentFile randomFile(String name, long seed) throws IOException, NoSuchAlgorithmException {
        Path path = temp.resolve(name);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long written = 0; written < FILE_BYTES; written += block.length) {
                for (int at = 0; at < block.length; at += Long.BYTES) {
                    long value = random.nextLong();
                    for (int i = 0; i < Long.BYTES; i++) {
                        block[at + i] = (byte) (value >>> (8 * i));
                    }
                }
                digest.update(block);
                out.write(block);
            }
        }
        return new SentFile(path, HexFormat.of().formatHex(digest.digest()));
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
