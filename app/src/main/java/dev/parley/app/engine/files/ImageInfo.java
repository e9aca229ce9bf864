package dev.parley.app.engine.files;

/**
 * What a picture's header says, read by {@link Images#probe} without decoding a pixel.
 *
 * @param formatName the reader's name for the format, lower case: "png", "jpeg", "webp", "gif", "bmp", "tiff"
 * @param width in pixels, as stored (before any EXIF orientation)
 * @param height in pixels, as stored
 * @param mediaType e.g. "image/jpeg"
 */
public record ImageInfo(String formatName, int width, int height, String mediaType) {
}
