package dev.parley.app.engine.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parley.app.engine.files.ImageRefusedException.Reason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pictures as a hostile sender would make them, and ordinary ones: what is refused, and what it costs us. Every file
 * is made here: by ImageIO's writers, or byte by byte (the PNG bombs, the WebP, the EXIF segment).
 */
class ImagesTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path folder;

    @Test
    void probeReadsTheFormatAndSizeOfEachPictureTypeFromItsHeader() throws Exception {
        BufferedImage picture = noisyPhoto(64, 48, 1);

        assertThat(Images.probe(write(picture, "png", "a.png"))).hasValue(new ImageInfo("png", 64, 48, "image/png"));
        assertThat(Images.probe(write(picture, "jpeg", "a.jpg")))
                .hasValue(new ImageInfo("jpeg", 64, 48, "image/jpeg"));
        assertThat(Images.probe(write(picture, "gif", "a.gif"))).hasValue(new ImageInfo("gif", 64, 48, "image/gif"));
        assertThat(Images.probe(write(picture, "bmp", "a.bmp"))).hasValue(new ImageInfo("bmp", 64, 48, "image/bmp"));
        assertThat(Images.probe(file("a.webp", redWebP(1, 1))))
                .hasValue(new ImageInfo("webp", 1, 1, "image/webp"));
    }

    @Test
    void aHandBuiltLosslessWebPDecodesThroughTwelveMonkeys() throws Exception {
        BufferedImage decoded = Images.decode(file("red.webp", redWebP(1, 1)), ImageLimits.defaults());

        assertThat(decoded.getWidth()).isEqualTo(1);
        assertThat(decoded.getHeight()).isEqualTo(1);
        assertThat(decoded.getRGB(0, 0)).isEqualTo(0xFFFF0000);
    }

    /**
     * A PNG of a few hundred KiB whose pixels, 15,000 × 15,000 zeros, would take 225 MB: refused from its header,
     * and the decode allocates next to nothing. The same file decoded under limits that allow it allocates its
     * pixels, which shows the measurement would see them.
     */
    @Test
    void aDecompressionBombIsRefusedFromItsHeaderBeforeItsPixelsAreAllocated() throws Exception {
        Path bomb = file("bomb.png", png(15_000, 15_000, GRAY, zlibOfZeros(15_000L * 15_001)));
        assertThat(Files.size(bomb)).isLessThan(300 * 1024);

        refusal(() -> Images.decode(bomb, ImageLimits.defaults())); // loads the classes, which allocates too
        ImageRefusedException[] refused = new ImageRefusedException[1];
        long refusing = allocatedBy(() -> refused[0] = refusal(() -> Images.decode(bomb, ImageLimits.defaults())));

        assertThat(refused[0].reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
        assertThat(refused[0]).hasMessageContaining("bomb.png").hasMessageContaining("225,000,000");
        assertThat(refusing).as("bytes allocated to refuse the bomb").isLessThan(MIB);

        ImageLimits allowing = new ImageLimits(300_000_000L, 20_000, 20_000, 64 * MIB);
        long decoding = allocatedBy(() -> Images.decode(bomb, allowing));
        assertThat(decoding).as("bytes allocated to decode it when allowed").isGreaterThan(225_000_000L);
    }

    /**
     * A thumbnail arrives as bytes inside an offer: one declaring 2,000 × 2,000 pixels in a few hundred bytes is
     * refused under the window's 1,024 × 1,024 before its pixels are allocated; a real one decodes; a WebP, a GIF or
     * noise is no thumbnail.
     */
    @Test
    void aThumbnailIsDecodedFromItsBytesAndRefusedFromItsHeaderWhenItDeclaresTooMuch() throws Exception {
        ImageLimits thumbnails = new ImageLimits(1024L * 1024, 1024, 1024, Images.THUMBNAIL_MAX_BYTES);
        byte[] bomb = png(2_000, 2_000, GRAY, zlibOfZeros(2_000L * 2_001));
        assertThat(bomb.length).isLessThan(Images.THUMBNAIL_MAX_BYTES);

        refusal(() -> Images.decodeThumbnail(bomb, thumbnails)); // loads the classes, which allocates too
        ImageRefusedException[] refused = new ImageRefusedException[1];
        long refusing = allocatedBy(() -> refused[0] = refusal(() -> Images.decodeThumbnail(bomb, thumbnails)));

        assertThat(refused[0].reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
        assertThat(refused[0]).hasMessageContaining("thumbnail").hasMessageContaining("4,000,000");
        assertThat(refusing).as("bytes allocated to refuse the thumbnail").isLessThan(MIB);

        Thumbnail made = Images.thumbnail(write(noisyPhoto(640, 480, 3), "jpeg", "photo.jpg"), ImageLimits.defaults());
        BufferedImage decoded = Images.decodeThumbnail(made.bytes(), thumbnails);
        assertThat(decoded.getWidth()).isEqualTo(320);
        assertThat(decoded.getHeight()).isEqualTo(240);

        assertThat(refusal(() -> Images.decodeThumbnail(redWebP(1, 1), thumbnails)).reason())
                .isEqualTo(Reason.NOT_AN_IMAGE);
        byte[] gif = Files.readAllBytes(write(noisyPhoto(8, 8, 4), "gif", "a.gif"));
        assertThat(refusal(() -> Images.decodeThumbnail(gif, thumbnails)).reason()).isEqualTo(Reason.NOT_AN_IMAGE);
        assertThat(refusal(() -> Images.decodeThumbnail("not a picture".getBytes(StandardCharsets.UTF_8),
                thumbnails)).reason()).isEqualTo(Reason.NOT_AN_IMAGE);
    }

    /** decodeScaled skips rows and columns as it decodes: the same 225-megapixel picture costs a few MiB. */
    @Test
    void aLargeAllowedPictureDecodedScaledAllocatesNearItsEdgeSquaredNotItsPixels() throws Exception {
        Path large = file("large.png", png(15_000, 15_000, GRAY, zlibOfZeros(15_000L * 15_001)));
        ImageLimits allowing = new ImageLimits(300_000_000L, 20_000, 20_000, 64 * MIB);

        BufferedImage[] scaled = new BufferedImage[1];
        long allocated = allocatedBy(() -> scaled[0] = Images.decodeScaled(large, 500, allowing));

        assertThat(scaled[0].getWidth()).isEqualTo(500);
        assertThat(scaled[0].getHeight()).isEqualTo(500);
        assertThat(allocated).as("bytes allocated, against 225 MB for the whole picture").isLessThan(8 * MIB);
    }

    /**
     * A WebP of 36 bytes whose every pixel costs no bit: 16,383 × 16,383 pixels, 1 GB decoded, is refused; one of
     * 4,000 × 3,000 is allowed and decoded scaled. TwelveMonkeys alone took four minutes and 100 GB of allocations
     * for it (see WebPInput), hence the timeout.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWebPBombIsRefusedAndAnAllowedLargeWebPIsDecodedScaled() throws Exception {
        Path bomb = file("bomb.webp", redWebP(16_383, 16_383));
        Path large = file("large.webp", redWebP(4_000, 3_000));

        assertThat(Files.size(bomb)).isEqualTo(36);
        assertThat(refusal(() -> Images.decode(bomb, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.TOO_MANY_PIXELS);
        BufferedImage[] scaled = new BufferedImage[1];
        long allocated = allocatedBy(() -> scaled[0] = Images.decodeScaled(large, 500, ImageLimits.defaults()));
        assertThat(scaled[0].getWidth()).isEqualTo(500);
        assertThat(scaled[0].getHeight()).isEqualTo(375);
        assertThat(scaled[0].getRGB(250, 200)).isEqualTo(0xFFFF0000);
        // TwelveMonkeys decodes a lossless WebP whole before it skips pixels: about the picture's own size (37 MB
        // here), not (2 × 500)² pixels as for PNG and JPEG.
        assertThat(allocated).as("bytes allocated").isLessThan(64 * MIB);
    }

    /** A WebP whose data ends before its pixels do is damaged, found at the end of its data, not at every pixel. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWebPCutShortIsDamagedAtOnce() throws Exception {
        Path cutShort = file("cut.webp", cutShortWebP(4_000, 3_000));

        long allocated = allocatedBy(() -> assertThat(
                refusal(() -> Images.decodeScaled(cutShort, 320, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.DAMAGED));

        assertThat(allocated).as("bytes allocated").isLessThan(64 * MIB);
    }

    @Test
    void aThirtyThousandSquareHeaderIsRefusedByEveryDecodeAndProbedWithoutDecoding() throws Exception {
        Path header = file("huge.png", png(30_000, 30_000, RGB, zlibOfZeros(64)));

        assertThat(Images.probe(header)).hasValue(new ImageInfo("png", 30_000, 30_000, "image/png"));
        assertThat(refusal(() -> Images.decode(header, ImageLimits.defaults())))
                .satisfies(refused -> assertThat(refused.reason()).isEqualTo(Reason.TOO_MANY_PIXELS))
                .hasMessageContaining("30,000 × 30,000").hasMessageContaining("huge.png");
        assertThat(refusal(() -> Images.decodeScaled(header, 320, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.TOO_MANY_PIXELS);
        assertThat(refusal(() -> Images.thumbnail(header, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.TOO_MANY_PIXELS);
    }

    @Test
    void aJpegWhoseFrameDeclaresThirtyThousandSquareIsRefused() throws Exception {
        byte[] jpeg = bytes(noisyPhoto(64, 48, 2), "jpeg");
        int frame = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        // SOF0: marker, length (2), precision (1), height (2), width (2).
        jpeg[frame + 5] = (byte) (30_000 >> 8);
        jpeg[frame + 6] = (byte) 30_000;
        jpeg[frame + 7] = (byte) (30_000 >> 8);
        jpeg[frame + 8] = (byte) 30_000;

        Path lying = file("lying.jpg", jpeg);

        assertThat(Images.probe(lying)).hasValue(new ImageInfo("jpeg", 30_000, 30_000, "image/jpeg"));
        assertThat(refusal(() -> Images.decode(lying, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.TOO_MANY_PIXELS);
    }

    @Test
    void aStripWithinThePixelLimitButTooLongIsRefused() throws Exception {
        Path strip = file("strip.png", png(40_000, 100, GRAY, zlibOfZeros(64)));

        assertThat(refusal(() -> Images.decode(strip, ImageLimits.defaults())))
                .satisfies(refused -> assertThat(refused.reason()).isEqualTo(Reason.TOO_WIDE_OR_TALL))
                .hasMessageContaining("40,000 × 100");
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeItIsOpened() throws Exception {
        Path photo = write(noisyPhoto(200, 200, 3), "png", "photo.png");
        ImageLimits small = new ImageLimits(1_000_000, 1_000, 1_000, 1_000);

        assertThat(refusal(() -> Images.decode(photo, small)).reason()).isEqualTo(Reason.TOO_LARGE_FILE);
        assertThat(refusal(() -> Images.thumbnail(photo, small)).reason()).isEqualTo(Reason.TOO_LARGE_FILE);
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ImageLimits(0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageLimits(1, 1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageLimits.defaults()).isEqualTo(new ImageLimits(50_000_000L, 20_000, 20_000, 64 * MIB));
    }

    @Test
    void aTruncatedJpegIsDamaged() throws Exception {
        byte[] jpeg = bytes(noisyPhoto(400, 300, 4), "jpeg");
        Path inTheScan = file("scan.jpg", Arrays.copyOf(jpeg, jpeg.length / 2));
        int frame = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        Path inTheHeader = file("header.jpg", Arrays.copyOf(jpeg, frame + 12));

        assertThat(refusal(() -> Images.decode(inTheScan, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.DAMAGED);
        assertThat(refusal(() -> Images.decode(inTheHeader, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.DAMAGED);
        assertThat(refusal(() -> Images.thumbnail(inTheScan, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.DAMAGED);
    }

    @Test
    void randomBytesAnEmptyFileAndAMissingOneAreNotImages() throws Exception {
        byte[] noise = new byte[10_000];
        new Random(23).nextBytes(noise);
        Path random = file("random.jpg", noise);
        Path empty = file("empty.png", new byte[0]);

        for (Path notAPicture : new Path[] {random, empty, folder.resolve("missing.png")}) {
            assertThat(Images.probe(notAPicture)).as("%s", notAPicture).isEmpty();
            assertThat(refusal(() -> Images.decode(notAPicture, ImageLimits.defaults())).reason())
                    .isEqualTo(Reason.NOT_AN_IMAGE);
            assertThat(refusal(() -> Images.thumbnail(notAPicture, ImageLimits.defaults())).reason())
                    .isEqualTo(Reason.NOT_AN_IMAGE);
        }
    }

    @Test
    void formatsTheJdkReadsButChatsDoNotSendAreNotPictures() throws Exception {
        Path tiff = write(noisyPhoto(32, 32, 5), "tiff", "scan.tiff");

        assertThat(ImageIO.read(tiff.toFile())).as("the JDK reads it").isNotNull();
        assertThat(Images.probe(tiff)).isEmpty();
        assertThat(refusal(() -> Images.decode(tiff, ImageLimits.defaults())).reason())
                .isEqualTo(Reason.NOT_AN_IMAGE);
    }

    @Test
    void onlyTheFirstPictureOfAnAnimationIsDecoded() throws Exception {
        Path gif = folder.resolve("two.gif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream output = ImageIO.createImageOutputStream(gif.toFile())) {
            writer.setOutput(output);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(filled(16, 16, Color.RED), null, null), null);
            writer.writeToSequence(new IIOImage(filled(16, 16, Color.BLUE), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }

        BufferedImage first = Images.decode(gif, ImageLimits.defaults());

        assertThat(first.getRGB(8, 8) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    /** A 12-megapixel photo-like picture (gradients under noise, which compresses badly) gives a small thumbnail. */
    @Test
    void aNoisyTwelveMegapixelPhotoGivesAThumbnailUnderSixteenKib() throws Exception {
        Path photo = write(noisyPhoto(4_000, 3_000, 6), "jpeg", "photo.jpg");

        Thumbnail thumbnail = Images.thumbnail(photo, ImageLimits.defaults());

        assertThat(thumbnail.bytes().length).isLessThanOrEqualTo(Images.THUMBNAIL_MAX_BYTES);
        assertThat(thumbnail.mediaType()).isEqualTo("image/jpeg");
        assertThat(thumbnail.width()).isEqualTo(4_000);
        assertThat(thumbnail.height()).isEqualTo(3_000);
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
        assertThat(Math.max(preview.getWidth(), preview.getHeight())).isLessThanOrEqualTo(Images.THUMBNAIL_EDGE)
                .isGreaterThanOrEqualTo(Images.THUMBNAIL_EDGE / 2);
        assertThat(preview.getWidth() * 3).isCloseTo(preview.getHeight() * 4, within(4));
    }

    @Test
    void decodeScaledFitsTheEdgeKeepingTheAspectRatioAndSkipsPixelsAsItDecodes() throws Exception {
        Path photo = write(noisyPhoto(4_000, 3_000, 7), "jpeg", "photo.jpg");

        BufferedImage[] scaled = new BufferedImage[1];
        long allocated = allocatedBy(() -> scaled[0] = Images.decodeScaled(photo, 1_000, ImageLimits.defaults()));
        BufferedImage small = Images.decodeScaled(write(noisyPhoto(300, 200, 8), "png", "small.png"), 1_000,
                ImageLimits.defaults());

        assertThat(scaled[0].getWidth()).isEqualTo(1_000);
        assertThat(scaled[0].getHeight()).isEqualTo(750);
        assertThat(allocated).as("bytes allocated, against 36 MB for the whole picture's pixels")
                .isLessThan(16 * MIB);
        assertThat(small.getWidth()).as("never enlarged").isEqualTo(300);
        assertThat(small.getHeight()).isEqualTo(200);
    }

    @Test
    void aPictureWithTransparencyGetsAPngThumbnail() throws Exception {
        BufferedImage translucent = new BufferedImage(800, 600, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 800; x++) {
                translucent.setRGB(x, y, (x * 255 / 800) << 24 | 0x3366CC);
            }
        }

        Thumbnail thumbnail = Images.thumbnail(write(translucent, "png", "logo.png"), ImageLimits.defaults());

        assertThat(thumbnail.mediaType()).isEqualTo("image/png");
        assertThat(thumbnail.bytes().length).isLessThanOrEqualTo(Images.THUMBNAIL_MAX_BYTES);
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
        assertThat(preview.getColorModel().hasAlpha()).isTrue();
        assertThat(preview.getWidth()).isEqualTo(320);
        assertThat(preview.getHeight()).isEqualTo(240);
    }

    /**
     * A 40 × 20 JPEG with red, green, blue and white quarters (top left, top right, bottom left, bottom right) and
     * each EXIF orientation: where red, green and blue are shown, as EXIF defines it.
     */
    @ParameterizedTest
    @CsvSource({"1, TL, TR, BL", "2, TR, TL, BR", "3, BR, BL, TR", "4, BL, BR, TL", "5, TL, BL, TR", "6, TR, BR, TL",
            "7, BR, TR, BL", "8, BL, TL, BR"})
    void aJpegIsShownAsItsExifOrientationSays(int orientation, String red, String green, String blue)
            throws Exception {
        BufferedImage quarters = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 40; x++) {
                quarters.setRGB(x, y, y < 10 ? (x < 20 ? 0xFF0000 : 0x00FF00) : (x < 20 ? 0x0000FF : 0xFFFFFF));
            }
        }
        Path photo = file("turned.jpg", withExifOrientation(bytes(quarters, "jpeg"), orientation));

        BufferedImage shown = Images.decodeScaled(photo, 1_000, ImageLimits.defaults());
        Thumbnail thumbnail = Images.thumbnail(photo, ImageLimits.defaults());

        boolean turned = orientation >= 5;
        assertThat(shown.getWidth()).isEqualTo(turned ? 20 : 40);
        assertThat(shown.getHeight()).isEqualTo(turned ? 40 : 20);
        assertThat(thumbnail.width()).isEqualTo(shown.getWidth());
        assertThat(thumbnail.height()).isEqualTo(shown.getHeight());
        assertThat(dominantColourAt(shown, red)).as("red").isEqualTo("red");
        assertThat(dominantColourAt(shown, green)).as("green").isEqualTo("green");
        assertThat(dominantColourAt(shown, blue)).as("blue").isEqualTo("blue");
        assertThat(Images.probe(photo).orElseThrow().width()).as("the header's size is as stored").isEqualTo(40);
    }

    @Test
    void aMediaTypeIsAPicturesFromItsBytesElseByExtensionAndNeverOneAViewerRunsCodeIn() throws Exception {
        byte[] png = bytes(noisyPhoto(8, 8, 9), "png");
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);

        assertThat(Images.mediaType(file("photo.bin", png))).isEqualTo("image/png");
        assertThat(Images.mediaType(file("fake.png", text))).isEqualTo(Images.UNKNOWN_TYPE);
        assertThat(Images.mediaType(file("report.PDF", text))).isEqualTo("application/pdf");
        assertThat(Images.mediaType(file("notes.txt", text))).isEqualTo("text/plain");
        assertThat(Images.mediaType(file("song.mp3", text))).isEqualTo("audio/mpeg");
        assertThat(Images.mediaType(file("clip.mp4", text))).isEqualTo("video/mp4");
        assertThat(Images.mediaType(file("all.zip", text))).isEqualTo("application/zip");
        assertThat(Images.mediaType(file("page.html", text))).isEqualTo(Images.UNKNOWN_TYPE);
        assertThat(Images.mediaType(file("drawing.svg", text))).isEqualTo(Images.UNKNOWN_TYPE);
        assertThat(Images.mediaType(file("setup.exe", text))).isEqualTo(Images.UNKNOWN_TYPE);
        assertThat(Images.mediaType(file("README", text))).isEqualTo(Images.UNKNOWN_TYPE);
    }

    // --- Files made for the tests

    private static final int GRAY = 0;
    private static final int RGB = 2;

    /**
     * A PNG: signature, IHDR (8 bits a sample, no interlace), one IDAT holding {@code zlibStream}, IEND; each chunk
     * with its CRC-32 over type and data.
     */
    private static byte[] png(int width, int height, int colourType, byte[] zlibStream) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream headerData = new DataOutputStream(header);
        headerData.writeInt(width);
        headerData.writeInt(height);
        headerData.write(new byte[] {8, (byte) colourType, 0, 0, 0});
        chunk(out, "IHDR", header.toByteArray());
        chunk(out, "IDAT", zlibStream);
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt(data.length);
        out.write(typeBytes);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    /** A zlib stream of {@code count} zero bytes: every row filter "none", every pixel 0. */
    private static byte[] zlibOfZeros(long count) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] zeros = new byte[64 * 1024];
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, new Deflater(9))) {
            for (long left = count; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
        }
        return compressed.toByteArray();
    }

    /**
     * A lossless WebP (VP8L) all opaque red, of any size up to 16,384 × 16,384, in 36 bytes. Bits are packed from the
     * lowest bit of each byte up:
     * after the 0x2F signature, 14 bits width − 1, 14 bits height − 1, 1 bit alpha used, 3 bits version; then no
     * transform, no colour cache, no meta prefix codes, and five "simple" prefix codes of one symbol each (green 0,
     * red 255, blue 0, alpha 255, distance 0), which cost the pixel itself no bits.
     */
    private static byte[] redWebP(int width, int height) {
        return losslessWebP(width, height, false);
    }

    /**
     * A lossless WebP whose green code has two symbols, so that each pixel costs a bit: its data ends after some 60
     * pixels.
     */
    private static byte[] cutShortWebP(int width, int height) {
        return losslessWebP(width, height, true);
    }

    private static byte[] losslessWebP(int width, int height, boolean cutShort) {
        BitWriter bits = new BitWriter();
        bits.write(0x2F, 8);
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1);
        bits.write(0, 3);
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no colour cache
        bits.write(0, 1); // no meta prefix codes
        if (cutShort) {
            bits.write(1, 1); // a simple code
            bits.write(1, 1); // of two symbols
            bits.write(0, 1); // the first of 1 bit
            bits.write(0, 1);
            bits.write(255, 8);
        }
        int[] symbols = cutShort ? new int[] {255, 0, 255, 0} : new int[] {0, 255, 0, 255, 0};
        for (int symbol : symbols) {
            bits.write(1, 1); // a simple code
            bits.write(0, 1); // of one symbol
            if (symbol < 2) {
                bits.write(0, 1); // of 1 bit
                bits.write(symbol, 1);
            } else {
                bits.write(1, 1); // of 8 bits
                bits.write(symbol, 8);
            }
        }
        // Then zero bits to 16 bytes: pixel data for the first 60-odd pixels of the cut-short one, unread in the
        // other (TwelveMonkeys alone also fails on a stream with less than 8 bytes left after the header).
        byte[] data = Arrays.copyOf(bits.toByteArray(), 16);
        ByteArrayOutputStream riff = new ByteArrayOutputStream();
        riff.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        writeLittleEndian(riff, 4 + 8 + data.length + data.length % 2);
        riff.writeBytes("WEBPVP8L".getBytes(StandardCharsets.US_ASCII));
        writeLittleEndian(riff, data.length);
        riff.writeBytes(data);
        if (data.length % 2 == 1) {
            riff.write(0);
        }
        return riff.toByteArray();
    }

    private static final class BitWriter {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int current;
        private int used;

        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                current |= ((value >>> i) & 1) << used;
                if (++used == 8) {
                    bytes.write(current);
                    current = 0;
                    used = 0;
                }
            }
        }

        byte[] toByteArray() {
            if (used > 0) {
                bytes.write(current);
            }
            return bytes.toByteArray();
        }
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, int value) {
        for (int i = 0; i < 4; i++) {
            out.write(value >>> (8 * i));
        }
    }

    /**
     * {@code jpeg} with an EXIF APP1 segment after its JFIF one: a big-endian TIFF header and one IFD with the one
     * entry Orientation (tag 0x0112, a SHORT).
     */
    private static byte[] withExifOrientation(byte[] jpeg, int orientation) throws IOException {
        ByteArrayOutputStream exif = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(exif);
        out.write("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[] {'M', 'M', 0, 42});
        out.writeInt(8); // the IFD right after the header
        out.writeShort(1);
        out.writeShort(0x0112);
        out.writeShort(3);
        out.writeInt(1);
        out.writeShort(orientation);
        out.writeShort(0);
        out.writeInt(0); // no next IFD
        byte[] segment = exif.toByteArray();

        int afterJfif = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        assertThat(jpeg[3] & 0xFF).as("ImageIO writes JFIF's APP0 first").isEqualTo(0xE0);
        ByteArrayOutputStream result = new ByteArrayOutputStream();
        result.write(jpeg, 0, afterJfif);
        result.write(0xFF);
        result.write(0xE1);
        result.write((segment.length + 2) >> 8);
        result.write(segment.length + 2);
        result.write(segment);
        result.write(jpeg, afterJfif, jpeg.length - afterJfif);
        return result.toByteArray();
    }

    /** Soft gradients with strong noise on top: about as hard to compress as a photo taken in poor light. */
    private static BufferedImage noisyPhoto(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int red = clamp(x * 255 / width + random.nextInt(61) - 30);
                int green = clamp(y * 255 / height + random.nextInt(61) - 30);
                int blue = clamp((x + y) * 255 / (width + height) + random.nextInt(61) - 30);
                image.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        return image;
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static BufferedImage filled(int width, int height, Color colour) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, colour.getRGB());
            }
        }
        return image;
    }

    /** "red", "green", "blue" or "white": the picture's colour around the middle of a quarter (TL, TR, BL, BR). */
    private static String dominantColourAt(BufferedImage image, String quarter) {
        int x = quarter.endsWith("L") ? image.getWidth() / 4 : image.getWidth() * 3 / 4;
        int y = quarter.startsWith("T") ? image.getHeight() / 4 : image.getHeight() * 3 / 4;
        int rgb = image.getRGB(x, y);
        boolean red = (rgb >> 16 & 0xFF) > 128;
        boolean green = (rgb >> 8 & 0xFF) > 128;
        boolean blue = (rgb & 0xFF) > 128;
        if (red && green && blue) {
            return "white";
        }
        return red && !green && !blue ? "red" : green && !red && !blue ? "green" : blue && !red ? "blue" : "mixed";
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        return file(name, bytes(image, format));
    }

    private static byte[] bytes(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, bytes)).as("a writer for %s", format).isTrue();
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(folder.resolve(name), content);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    // --- Measuring

    private interface Decode {
        void run() throws Exception;
    }

    /** Bytes allocated on the heap by this thread while {@code decode} runs (what it allocates, not what it keeps). */
    private static long allocatedBy(Decode decode) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        decode.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private interface Refused {
        void run() throws ImageRefusedException;
    }

    private static ImageRefusedException refusal(Refused refused) {
        try {
            refused.run();
        } catch (ImageRefusedException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }
}
