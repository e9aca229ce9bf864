package dev.parley.store.export;

import dev.parley.store.Attachment;
import dev.parley.store.MessageKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * What an export and an import need of the files messages offer, which the app keeps: the store holds each offer as
 * the app encoded it and names the bytes by content, but reads neither. {@link #NONE} leaves files out: an export
 * then says nothing of them, and an import passes over what a file says of them.
 */
public interface ExportFiles {
    /**
     * The longest {@link #safeName}: a copy is called {@code <sha256>-<safe name>}, 65 bytes before it, and a file
     * system takes names of 255 bytes.
     */
    int MAX_SAFE_NAME_BYTES = 255 - 65;

    ExportFiles NONE = new ExportFiles() {
        @Override
        public Optional<ExportedFile> read(Attachment attachment) {
            return Optional.empty();
        }

        @Override
        public String safeName(String name) {
            return "file";
        }

        @Override
        public Optional<Path> stored(String content) {
            return Optional.empty();
        }

        @Override
        public Optional<Kept> keep(Path source, String content, ExportedFile file, LongConsumer copied) {
            return Optional.empty();
        }

        @Override
        public boolean accepts(ExportedFile file) {
            return false;
        }

        @Override
        public Optional<Attachment> restore(MessageKey message, ExportedFile file, Optional<Kept> kept) {
            return Optional.empty();
        }
    };

    /** A file an import copied into the profile, checked: its content's name and the leaf hashes of its tree. */
    record Kept(String content, byte[] leaves) {
        public Kept {
            leaves = leaves.clone();
        }

        @Override
        public byte[] leaves() {
            return leaves.clone();
        }
    }

    /** The offer's fields; empty when the stored offer does not read back (the message goes without its file). */
    Optional<ExportedFile> read(Attachment attachment);

    /**
     * {@code name} made safe to create as a file on any system, at most {@link #MAX_SAFE_NAME_BYTES} UTF-8 bytes: what
     * an export calls its copy, after the hash.
     */
    String safeName(String name);

    /** The profile's whole copy of this content (SHA-256, lowercase hex), if it has one. */
    Optional<Path> stored(String content);

    /**
     * Copies {@code source} into the profile's files, if its bytes are the content {@code content} names and the file
     * {@code file} offers (its tree under the offer's key has the offer's root); else copies nothing and says why in
     * the log. {@code copied} hears the bytes read so far, as they go.
     */
    Optional<Kept> keep(Path source, String content, ExportedFile file, LongConsumer copied) throws IOException;

    /**
     * Whether the fields make an offer the app accepts, within its limits for one off the wire (a name, a thumbnail
     * of a few KiB); one it does not is passed over as it is read, with a warning in the log, so that an import holds
     * only these until its messages are stored.
     */
    boolean accepts(ExportedFile file);

    /**
     * The attachment to store for a message an import brought: complete when its file was {@code kept}, else only
     * offered; empty when the fields make no offer the app accepts (the message is kept as text).
     */
    Optional<Attachment> restore(MessageKey message, ExportedFile file, Optional<Kept> kept);
}
