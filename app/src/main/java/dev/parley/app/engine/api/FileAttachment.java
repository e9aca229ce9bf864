package dev.parley.app.engine.api;

import java.util.Optional;

/**
 * A file offered with a message.
 *
 * @param name      the offered name made safe to save under (no folders, no control or bidi characters)
 * @param mediaType what the sender says it is; only a hint
 * @param thumbnail for an image, a small JPEG or PNG the sender made, and its media type
 * @param width     for an image, its width in pixels as the sender says; else 0
 */
public record FileAttachment(String name, long size, String mediaType, Optional<Thumbnail> thumbnail, int width,
                             int height, FileTransfer transfer) {
    /** A small picture of an image, sent inside the offer. */
    public record Thumbnail(byte[] bytes, String mediaType) {
        public Thumbnail {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** Whether the sender offers it as a picture. */
    public boolean isImage() {
        return mediaType.startsWith("image/");
    }
}
