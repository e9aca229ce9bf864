package dev.parley.app.engine.files;

/**
 * How large a picture {@link Images} decodes. A picture's pixels cost memory by what its header declares, not by the
 * size of its file (a PNG of a few hundred KiB can declare 30,000 × 30,000 pixels, 3.6 GB decoded), so these are
 * checked against the header before a pixel is allocated.
 *
 * @param maxPixels width × height at most
 * @param maxWidth widest, in pixels
 * @param maxHeight tallest, in pixels
 * @param maxFileBytes largest file, in bytes, checked before it is opened
 */
public record ImageLimits(long maxPixels, int maxWidth, int maxHeight, long maxFileBytes) {
    /**
     * 50 megapixels: more than any phone or most cameras take (a 48 MP phone's full-resolution photo fits), and
     * at 4 bytes a pixel 200 MB decoded; a 30,000 × 30,000 picture (900 MP) is refused.
     */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** 20,000 pixels on a side: a panorama's length, while a strip of 50 MP one pixel wide is refused. */
    public static final int DEFAULT_MAX_EDGE = 20_000;
    /** 64 MiB: larger than a camera's JPEG or a screenshot's PNG; a larger file is a file to save, not to show. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;

    public ImageLimits {
        if (maxPixels <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxFileBytes <= 0) {
            throw new IllegalArgumentException("image limits must be positive: " + maxPixels + " pixels, " + maxWidth
                    + " × " + maxHeight + ", " + maxFileBytes + " bytes");
        }
    }

    /** The limits for a picture received in a chat. */
    public static ImageLimits defaults() {
        return new ImageLimits(DEFAULT_MAX_PIXELS, DEFAULT_MAX_EDGE, DEFAULT_MAX_EDGE, DEFAULT_MAX_FILE_BYTES);
    }
}
