package dev.parley.app.engine.files;

/**
 * A small preview of a picture for its file offer, made by {@link Images#thumbnail}.
 *
 * @param bytes the encoded preview (JPEG, or PNG where the picture has transparency); not copied
 * @param mediaType "image/jpeg" or "image/png"
 * @param width the original picture's width, as shown (after its EXIF orientation), not the preview's
 * @param height the original picture's height, as shown
 */
public record Thumbnail(byte[] bytes, String mediaType, int width, int height) {
}
