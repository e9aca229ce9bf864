package dev.parley.app.engine.files;

import dev.parley.app.engine.files.ImageRefusedException.Reason;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Node;

/**
 * Pictures received or sent in a chat, decoded within {@link ImageLimits}: every decode reads the header first and
 * refuses a picture over the limits before a pixel is allocated, so a decompression bomb costs a few KiB. The
 * decoders are javax.imageio's, with TwelveMonkeys' plugins for WebP and for JPEG; no decoder is Parley's own. Only
 * {@link #PICTURE_TYPES} count as pictures: every decoder is code a stranger's bytes run through, and TIFF or WBMP
 * (which the JDK also reads) are no pictures people send in a chat. See app/README.md, "Files: names and images".
 */
public final class Images {
    /** The formats shown as pictures, by javax.imageio's format name, with their media types. */
    static final Map<String, String> PICTURE_TYPES = Map.of("png", "image/png", "jpeg", "image/jpeg", "gif",
            "image/gif", "webp", "image/webp", "bmp", "image/bmp");
    /** A thumbnail's longest edge, in pixels: what a chat bubble shows before the picture is fetched. */
    public static final int THUMBNAIL_EDGE = 320;
    /** A thumbnail's largest encoding: it travels inside the file offer, a message under the chat's frame limit. */
    public static final int THUMBNAIL_MAX_BYTES = 16 * 1024;
    /** The formats a thumbnail is made in ({@link #thumbnail}), and so the only ones read from an offer. */
    private static final java.util.Set<String> THUMBNAIL_FORMATS = java.util.Set.of("jpeg", "png");
    /** JPEG qualities tried in turn before a thumbnail is made smaller instead: below 0.4 blocks show. */
    private static final float[] THUMBNAIL_QUALITIES = {0.85f, 0.7f, 0.55f, 0.4f};
    /** How much smaller a thumbnail gets when even the lowest quality does not fit. */
    private static final double THUMBNAIL_SHRINK = 0.75;
    /**
     * Types by extension for files that are not pictures, for a file offer. Nothing a viewer runs code in (HTML, SVG,
     * scripts, programs) gets a type of its own: those are application/octet-stream. Picture extensions are not here
     * either: a file is a picture only when a reader recognises its bytes, so "x.png" full of text is no picture.
     */
    private static final Map<String, String> TYPES_BY_EXTENSION = Map.ofEntries(Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"), Map.entry("7z", "application/x-7z-compressed"),
            Map.entry("txt", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"),
            Map.entry("json", "application/json"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("ogg", "audio/ogg"), Map.entry("opus", "audio/opus"), Map.entry("flac", "audio/flac"),
            Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"),
            Map.entry("webm", "video/webm"), Map.entry("mkv", "video/x-matroska"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("ods", "application/vnd.oasis.opendocument.spreadsheet"),
            Map.entry("odp", "application/vnd.oasis.opendocument.presentation"),
            Map.entry("epub", "application/epub+zip"));
    static final String UNKNOWN_TYPE = "application/octet-stream";
    /**
     * The decoders' warnings that the data is cut short or corrupt: the JDK JPEG reader's "Truncated File - Missing
     * EOI marker", libjpeg's "Corrupt JPEG data: premature end of data segment" and its other "Corrupt JPEG data"
     * warnings. ImagesTest.aTruncatedJpegIsDamaged fails if a newer JDK words them otherwise.
     */
    private static final Pattern DAMAGE_WARNINGS = Pattern.compile("truncated|premature end|corrupt",
            Pattern.CASE_INSENSITIVE);

    private Images() {
    }

    /**
     * The format and size a picture's header declares, read without decoding a pixel (and without
     * {@link ImageLimits}: a bomb's header is read like any other). Empty when no reader of {@link #PICTURE_TYPES}
     * recognises the file, when its header is damaged, or when the file cannot be read.
     */
    public static Optional<ImageInfo> probe(Path file) {
        try (Opened opened = Opened.open(file, Opened.Purpose.HEADER)) {
            return Optional.of(new ImageInfo(opened.formatName, opened.width, opened.height,
                    PICTURE_TYPES.get(opened.formatName)));
        } catch (ImageRefusedException notAPicture) {
            return Optional.empty();
        }
    }

    /**
     * The first picture of {@code file} (of a GIF's frames, the first), its pixels as stored (EXIF orientation is
     * not applied; {@link #decodeScaled} applies it). Refused from the file's size and then its header when over
     * {@code limits}, before the decoder allocates anything for the pixels.
     *
     * @throws ImageRefusedException NOT_AN_IMAGE, TOO_LARGE_FILE, TOO_MANY_PIXELS, TOO_WIDE_OR_TALL, or DAMAGED
     *             when the decoder fails (an OutOfMemoryError is let through: it is no property of the file)
     */
    public static BufferedImage decode(Path file, ImageLimits limits) throws ImageRefusedException {
        requireSmallEnoughFile(file, limits);
        try (Opened opened = Opened.open(file, Opened.Purpose.PIXELS)) {
            opened.requireWithin(limits);
            return opened.read(opened.reader.getDefaultReadParam());
        }
    }

    /**
     * The first picture of {@code file} fitted within {@code maxEdge} × {@code maxEdge} (aspect ratio kept, never
     * enlarged) and turned as its JPEG EXIF orientation says. The decoder skips pixels (source subsampling) so that
     * what it allocates is at most (2 × maxEdge)² pixels however large the picture within {@code limits}; the
     * result is then scaled smoothly. Refused as {@link #decode} refuses.
     */
    public static BufferedImage decodeScaled(Path file, int maxEdge, ImageLimits limits)
            throws ImageRefusedException {
        return fitted(file, maxEdge, limits).image;
    }

    /**
     * A thumbnail that came inside a file offer, decoded from its bytes: a JPEG or PNG whose header declares at most
     * {@code limits}, else refused before a pixel is allocated (a stranger's thumbnail of a few KiB may declare
     * 30,000 × 30,000 pixels). Any other format is NOT_AN_IMAGE: offers carry JPEG and PNG thumbnails only.
     */
    public static BufferedImage decodeThumbnail(byte[] bytes, ImageLimits limits) throws ImageRefusedException {
        String source = "a thumbnail of " + bytes.length + " bytes";
        if (bytes.length > limits.maxFileBytes()) {
            throw new ImageRefusedException(Reason.TOO_LARGE_FILE, String.format(Locale.ROOT,
                    "%s is more than the %,d bytes a picture may have", source, limits.maxFileBytes()));
        }
        ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
        try (Opened opened = Opened.open(source, input, null, Opened.Purpose.PIXELS)) {
            if (!THUMBNAIL_FORMATS.contains(opened.formatName)) {
                throw new ImageRefusedException(Reason.NOT_AN_IMAGE, source + " is " + opened.formatName
                        + ", not a JPEG or PNG");
            }
            opened.requireWithin(limits);
            return opened.read(opened.reader.getDefaultReadParam());
        }
    }

    /**
     * A preview of {@code file} for its file offer: JPEG (PNG when the picture has transparency) of at most
     * {@value #THUMBNAIL_EDGE} pixels on its longest edge and {@value #THUMBNAIL_MAX_BYTES} bytes, with no
     * metadata (no EXIF, so no GPS position of the original travels in it). A lower JPEG quality is tried first,
     * then a smaller preview. Refused as {@link #decode} refuses.
     */
    public static Thumbnail thumbnail(Path file, ImageLimits limits) throws ImageRefusedException {
        Fitted fitted = fitted(file, THUMBNAIL_EDGE, limits);
        BufferedImage preview = fitted.image;
        boolean png = preview.getColorModel().hasAlpha();
        while (true) {
            byte[] bytes = png ? encodePng(preview) : smallestJpegWithin(preview, THUMBNAIL_MAX_BYTES);
            if (bytes.length <= THUMBNAIL_MAX_BYTES) {
                return new Thumbnail(bytes, png ? "image/png" : "image/jpeg", fitted.width, fitted.height);
            }
            // A 1 × 1 preview is a few hundred bytes, so this ends.
            int edge = Math.max(1, (int) (Math.max(preview.getWidth(), preview.getHeight()) * THUMBNAIL_SHRINK));
            preview = scaled(preview, edge, Orientation.NORMAL);
        }
    }

    /**
     * The media type a file offer states for {@code file}: a picture's from its bytes ({@link #probe}), else one of a
     * short table by extension, else application/octet-stream. Not {@link Files#probeContentType}: its answer
     * depends on the machine (its mime.types files, its desktop's database, and any FileTypeDetector a jar on the
     * class path installs, which runs on the file), so the same file would be offered as different types, and it
     * names HTML and SVG, which a viewer would run scripts in. Nothing is run or opened but the file's header.
     */
    public static String mediaType(Path file) {
        Optional<ImageInfo> picture = probe(file);
        if (picture.isPresent()) {
            return picture.get().mediaType();
        }
        Path name = file.getFileName();
        String text = name == null ? "" : name.toString();
        int dot = text.lastIndexOf('.');
        String extension = dot < 0 ? "" : text.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES_BY_EXTENSION.getOrDefault(extension, UNKNOWN_TYPE);
    }

    /** A picture fitted to an edge, with the size of the original as shown (after its orientation). */
    private record Fitted(BufferedImage image, int width, int height) {
    }

    private static Fitted fitted(Path file, int maxEdge, ImageLimits limits) throws ImageRefusedException {
        if (maxEdge < 1) {
            throw new IllegalArgumentException("a picture's edge must be at least one pixel: " + maxEdge);
        }
        requireSmallEnoughFile(file, limits);
        try (Opened opened = Opened.open(file, Opened.Purpose.TURNED_PIXELS)) {
            opened.requireWithin(limits);
            Orientation orientation = opened.orientation();
            ImageReadParam param = opened.reader.getDefaultReadParam();
            // Every step-th pixel of every step-th row: the decoded picture's longest edge is then below 2 × maxEdge,
            // and it is smoothed down to maxEdge below.
            int step = Math.max(1, Math.max(opened.width, opened.height) / maxEdge);
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage decoded = opened.read(param);
            BufferedImage image = scaled(decoded, maxEdge, orientation);
            boolean turned = orientation.swapsSides();
            return new Fitted(image, turned ? opened.height : opened.width, turned ? opened.width : opened.height);
        }
    }

    private static void requireSmallEnoughFile(Path file, ImageLimits limits) throws ImageRefusedException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ImageRefusedException(Reason.NOT_AN_IMAGE, file + " cannot be read: " + e, e);
        }
        if (size > limits.maxFileBytes()) {
            throw new ImageRefusedException(Reason.TOO_LARGE_FILE, String.format(Locale.ROOT,
                    "%s is %,d bytes, more than the %,d a picture may have", file, size, limits.maxFileBytes()));
        }
    }

    /**
     * {@code image} turned by {@code orientation} (from {@code image}'s pixel coordinates to the picture as shown) and
     * scaled to fit {@code maxEdge}, into a new RGB image, with alpha if {@code image} has it.
     */
    private static BufferedImage scaled(BufferedImage image, int maxEdge, Orientation orientation) {
        boolean turned = orientation.swapsSides();
        int shownWidth = turned ? image.getHeight() : image.getWidth();
        int shownHeight = turned ? image.getWidth() : image.getHeight();
        double scale = Math.min(1.0, (double) maxEdge / Math.max(shownWidth, shownHeight));
        int width = Math.max(1, (int) Math.round(shownWidth * scale));
        int height = Math.max(1, (int) Math.round(shownHeight * scale));
        BufferedImage result = new BufferedImage(width, height,
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        AffineTransform transform = AffineTransform.getScaleInstance((double) width / shownWidth,
                (double) height / shownHeight);
        transform.concatenate(orientation.transform(image.getWidth(), image.getHeight()));
        Graphics2D graphics = result.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(image, transform, null);
        } finally {
            graphics.dispose();
        }
        return result;
    }

    /** The best of the qualities that fits in {@code maxBytes}, or the lowest quality's when none does. */
    private static byte[] smallestJpegWithin(BufferedImage image, int maxBytes) {
        byte[] bytes = new byte[0];
        for (float quality : THUMBNAIL_QUALITIES) {
            bytes = encodeJpeg(image, quality);
            if (bytes.length <= maxBytes) {
                break;
            }
        }
        return bytes;
    }

    private static byte[] encodeJpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        return encode(writer, image, param);
    }

    private static byte[] encodePng(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        return encode(writer, image, writer.getDefaultWriteParam());
    }

    private static byte[] encode(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // In memory: ImageIO.createImageOutputStream would buffer through a file in the temporary folder.
        try (MemoryCacheImageOutputStream output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a thumbnail in memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * A picture file opened for one of {@link #PICTURE_TYPES}'s readers, its header read: the reader, the stream it
     * reads, and the size the header declares.
     */
    private static final class Opened implements AutoCloseable {
        /** The file, or what the bytes are, for messages. */
        final String source;
        final ImageInputStream input;
        final ImageReader reader;
        final String formatName;
        final int width;
        final int height;

        private Opened(String source, ImageInputStream input, ImageReader reader, String formatName, int width,
                int height) {
            this.source = source;
            this.input = input;
            this.reader = reader;
            this.formatName = formatName;
            this.width = width;
            this.height = height;
        }

        /** What a file is opened for. */
        enum Purpose {
            /** Its header alone. */
            HEADER,
            /** Its pixels, as stored. */
            PIXELS,
            /** Its pixels, and its EXIF orientation if it is a JPEG. */
            TURNED_PIXELS
        }

        /**
         * Opens {@code file} with the first reader of a picture type that recognises its bytes, and reads its header.
         * Metadata is read only for a JPEG's orientation: EXIF is the one piece of it used, and whatever else a
         * sender put there costs nothing unread. A WebP's pixels are read from {@link WebPInput}.
         */
        static Opened open(Path file, Purpose purpose) throws ImageRefusedException {
            ImageInputStream input;
            try {
                input = ImageIO.createImageInputStream(file.toFile());
            } catch (IOException e) {
                throw new ImageRefusedException(Reason.NOT_AN_IMAGE, file + " cannot be read: " + e, e);
            }
            if (input == null) {
                throw new ImageRefusedException(Reason.NOT_AN_IMAGE, file + " cannot be read");
            }
            return open(file.toString(), input, file, purpose);
        }

        /**
         * Like {@link #open(Path, Purpose)}, from {@code input} (closed on failure); a WebP's pixels are read only from
         * {@code webPFile}, and are NOT_AN_IMAGE without one.
         */
        static Opened open(String file, ImageInputStream input, Path webPFile, Purpose purpose)
                throws ImageRefusedException {
            ImageReader reader = null;
            try {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
                while (readers.hasNext() && reader == null) {
                    ImageReader candidate = readers.next();
                    if (pictureFormat(candidate) != null) {
                        reader = candidate;
                    } else {
                        candidate.dispose();
                    }
                }
                if (reader == null) {
                    throw new ImageRefusedException(Reason.NOT_AN_IMAGE, file + " is not a picture Parley shows ("
                            + String.join(", ", PICTURE_TYPES.keySet().stream().sorted().toList()) + ")");
                }
                String format = pictureFormat(reader);
                if (purpose != Purpose.HEADER && format.equals("webp")) {
                    if (webPFile == null) {
                        throw new ImageRefusedException(Reason.NOT_AN_IMAGE, file + " is a WebP, read from files only");
                    }
                    input = webPInput(webPFile, input);
                }
                reader.setInput(input, true, !(purpose == Purpose.TURNED_PIXELS && format.equals("jpeg")));
                int width;
                int height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw damaged(file, e);
                }
                return new Opened(file, input, reader, format, width, height);
            } catch (ImageRefusedException | RuntimeException e) {
                if (reader != null) {
                    reader.dispose();
                }
                try {
                    input.close();
                } catch (IOException notClosed) {
                    e.addSuppressed(notClosed);
                }
                throw e;
            }
        }

        private static ImageInputStream webPInput(Path file, ImageInputStream fromFile)
                throws ImageRefusedException {
            try {
                WebPInput inMemory = WebPInput.of(file);
                fromFile.close();
                return inMemory;
            } catch (IOException e) {
                throw new ImageRefusedException(Reason.NOT_AN_IMAGE, file + " cannot be read: " + e, e);
            }
        }

        /** Refuses the picture when its header declares more than {@code limits} allow. */
        void requireWithin(ImageLimits limits) throws ImageRefusedException {
            long pixels = (long) width * height;
            if (pixels > limits.maxPixels()) {
                throw new ImageRefusedException(Reason.TOO_MANY_PIXELS, String.format(Locale.ROOT,
                        "%s declares %,d × %,d pixels (%,d), more than the %,d a picture may have", source, width,
                        height, pixels, limits.maxPixels()));
            }
            if (width > limits.maxWidth() || height > limits.maxHeight()) {
                throw new ImageRefusedException(Reason.TOO_WIDE_OR_TALL, String.format(Locale.ROOT,
                        "%s declares %,d × %,d pixels, beyond the %,d × %,d a picture may have", source, width,
                        height, limits.maxWidth(), limits.maxHeight()));
            }
        }

        /**
         * The first picture's pixels, as {@code param} asks. Any failure of the decoder makes the file DAMAGED, and
         * so does a warning that its data is cut short or corrupt: the JDK's JPEG decoder (libjpeg) does not fail on
         * a file cut in the middle but warns and shows the rest gray. Other warnings (a CMYK picture without a colour
         * profile, an EXIF segment it skips) leave a picture that is shown as it should be.
         */
        BufferedImage read(ImageReadParam param) throws ImageRefusedException {
            List<String> damage = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> {
                if (DAMAGE_WARNINGS.matcher(warning).find()) {
                    damage.add(warning);
                }
            });
            BufferedImage image;
            try {
                image = reader.read(0, param);
            } catch (IOException | RuntimeException e) {
                throw damaged(source, e);
            }
            if (!damage.isEmpty()) {
                throw new ImageRefusedException(Reason.DAMAGED,
                        source + " is a damaged picture: " + String.join("; ", damage));
            }
            return image;
        }

        /**
         * How the picture is to be turned, from the standard metadata's ImageOrientation (which TwelveMonkeys' JPEG
         * reader fills from EXIF); as stored when there is none or it cannot be read, since a photo shown on its side
         * is still the photo.
         */
        Orientation orientation() {
            if (!formatName.equals("jpeg")) {
                return Orientation.NORMAL;
            }
            try {
                IIOMetadata metadata = reader.getImageMetadata(0);
                if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
                    return Orientation.NORMAL;
                }
                Node root = metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName);
                return Orientation.named(attribute(child(child(root, "Dimension"), "ImageOrientation"), "value"));
            } catch (IOException | RuntimeException e) {
                return Orientation.NORMAL;
            }
        }

        @Override
        public void close() {
            reader.dispose();
            try {
                input.close();
            } catch (IOException e) {
                // Only a file read from fails to close here: what was read is read, and nothing is lost.
            }
        }

        private static String pictureFormat(ImageReader reader) {
            if (reader.getOriginatingProvider() == null) {
                return null;
            }
            return Arrays.stream(reader.getOriginatingProvider().getFormatNames())
                    .map(name -> name.toLowerCase(Locale.ROOT)).filter(PICTURE_TYPES::containsKey).findFirst()
                    .orElse(null);
        }

        private static Node child(Node parent, String name) {
            for (Node child = parent == null ? null : parent.getFirstChild(); child != null; child = child
                    .getNextSibling()) {
                if (name.equals(child.getNodeName())) {
                    return child;
                }
            }
            return null;
        }

        private static String attribute(Node node, String name) {
            Node attribute = node == null || node.getAttributes() == null ? null
                    : node.getAttributes().getNamedItem(name);
            return attribute == null ? "" : attribute.getNodeValue();
        }
    }

    private static ImageRefusedException damaged(String file, Exception e) {
        return new ImageRefusedException(Reason.DAMAGED, file + " is a damaged picture: " + e.getMessage(), e);
    }
}
