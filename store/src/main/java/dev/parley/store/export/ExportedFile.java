package dev.parley.store.export;

import java.util.Optional;

/**
 * The file a message offers, as an export carries it: the offer's fields, which the app reads from its stored offer
 * ({@link ExportFiles#read}) and builds an offer from again on import ({@link ExportFiles#restore}).
 *
 * @param name          as the sender named it: never trusted as a file name (an export names the copy by content)
 * @param root          the root of the file's hash tree, 32 bytes
 * @param key           the key that seals its chunks, 32 bytes: an export holds what the profile holds
 * @param thumbnail     for a picture, a small JPEG or PNG of type {@code thumbnailType}
 * @param width         for a picture, its size in pixels; else 0
 */
public record ExportedFile(String name, long size, String mediaType, byte[] root, byte[] key, int chunkSize,
                           Optional<byte[]> thumbnail, String thumbnailType, int width, int height) {
    public ExportedFile {
        root = root.clone();
        key = key.clone();
        thumbnail = thumbnail.map(byte[]::clone);
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public Optional<byte[]> thumbnail() {
        return thumbnail.map(byte[]::clone);
    }

    boolean isPicture() {
        return mediaType.startsWith("image/");
    }
}
