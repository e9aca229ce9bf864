package dev.parley.app.engine.files;

import com.google.protobuf.ByteString;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.crypto.file.ChunkTree;
import dev.parley.crypto.file.FileChunks;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A file offer as the engine uses it: checked against the limits when it comes off the wire, so that nothing later
 * meets a key of the wrong length, a chunk count the store cannot hold or a thumbnail of any size.
 *
 * @param name          the name as the sender wrote it; {@link #safeName()} is what anything on disk is called
 * @param thumbnail     at most {@link #MAX_THUMBNAIL_BYTES}; empty when the file is not a picture
 */
public record OfferedFile(String name, long size, String mediaType, byte[] root, byte[] key, int chunkSize,
                          Optional<byte[]> thumbnail, String thumbnailType, int width, int height) {
    /** A name longer than this, in UTF-8, is refused: no file system keeps one, and it only costs us. */
    public static final int MAX_NAME_BYTES = 1_024;
    public static final int MAX_THUMBNAIL_BYTES = 16 * 1024;
    /**
     * At most this many chunks (256 GiB at the usual chunk size): the leaf hashes, 32 bytes a chunk, are kept in one
     * row and fetched before any chunk, so they must stay a few MiB at most.
     */
    public static final long MAX_CHUNKS = 1L << 20;
    public static final String UNKNOWN_TYPE = "application/octet-stream";

    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]{0,62}/[a-z0-9][a-z0-9.+-]{0,62}");

    public OfferedFile {
        root = root.clone();
        key = key.clone();
        thumbnail = thumbnail.map(byte[]::clone);
    }

    /** The offer in {@code wire}, or why it is refused. */
    public static OfferedFile fromWire(FileOffer wire) throws InvalidOfferException {
        if (wire.getName().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidOfferException("its name is longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (wire.getRoot().size() != ChunkTree.HASH_SIZE || wire.getKey().size() != FileChunks.KEY_SIZE) {
            throw new InvalidOfferException("its root or key is not 32 bytes");
        }
        int chunkSize = wire.getChunkSize();
        if (chunkSize < FileChunks.MIN_CHUNK_SIZE || chunkSize > FileChunks.MAX_CHUNK_SIZE) {
            throw new InvalidOfferException("its chunks of " + Integer.toUnsignedString(chunkSize)
                    + " bytes are outside " + FileChunks.MIN_CHUNK_SIZE + " to " + FileChunks.MAX_CHUNK_SIZE);
        }
        long size = wire.getSize();
        if (size < 0 || FileChunks.chunkCount(size, chunkSize) > MAX_CHUNKS) {
            throw new InvalidOfferException("its size of " + Long.toUnsignedString(size) + " bytes is over "
                    + MAX_CHUNKS + " chunks");
        }
        if (size == 0 && !java.util.Arrays.equals(wire.getRoot().toByteArray(), ChunkTree.root(new byte[0]))) {
            // An empty file has no chunks to check: its root must be the empty tree's, or it would pass unchecked.
            throw new InvalidOfferException("it offers an empty file under the root of another");
        }
        if (wire.getThumbnail().size() > MAX_THUMBNAIL_BYTES) {
            throw new InvalidOfferException("its thumbnail is larger than " + MAX_THUMBNAIL_BYTES + " bytes");
        }
        String thumbnailType = wire.getThumbnailType();
        Optional<byte[]> thumbnail = wire.getThumbnail().isEmpty() ? Optional.empty()
                : Optional.of(wire.getThumbnail().toByteArray());
        if (thumbnail.isPresent() && !thumbnailType.equals("image/jpeg") && !thumbnailType.equals("image/png")) {
            throw new InvalidOfferException("its thumbnail is neither JPEG nor PNG");
        }
        // Only the size of a picture's header is trusted, never its bytes' count: 16 KiB of PNG can declare
        // 10,000 x 10,000 pixels, a bomb for whatever shows it. A thumbnail that is not small goes; the file stays.
        thumbnail = thumbnail.filter(bytes -> smallPicture(bytes, thumbnailType));
        String mediaType = MEDIA_TYPE.matcher(wire.getMediaType()).matches() ? wire.getMediaType() : UNKNOWN_TYPE;
        return new OfferedFile(wire.getName(), size, mediaType, wire.getRoot().toByteArray(),
                wire.getKey().toByteArray(), chunkSize, thumbnail, thumbnail.isPresent() ? thumbnailType : "",
                (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(wire.getWidth())),
                (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(wire.getHeight())));
    }

    /** Whether {@code bytes} are a picture of the type named, at most {@link Images#THUMBNAIL_EDGE} each way. */
    private static boolean smallPicture(byte[] bytes, String type) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                boolean named = type.equals("image/png") ? format.equals("png")
                        : format.equals("jpeg") || format.equals("jpg");
                return named && reader.getWidth(0) <= Images.THUMBNAIL_EDGE
                        && reader.getHeight(0) <= Images.THUMBNAIL_EDGE;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public FileOffer toWire() {
        FileOffer.Builder wire = FileOffer.newBuilder().setName(name).setSize(size).setMediaType(mediaType)
                .setRoot(ByteString.copyFrom(root)).setKey(ByteString.copyFrom(key)).setChunkSize(chunkSize)
                .setWidth(width).setHeight(height);
        thumbnail.ifPresent(bytes -> wire.setThumbnail(ByteString.copyFrom(bytes)).setThumbnailType(thumbnailType));
        return wire.build();
    }

    /** The name made safe to create on any file system this runs on ({@link FileNames#sanitise}). */
    public String safeName() {
        return FileNames.sanitise(name);
    }

    public long chunkCount() {
        return FileChunks.chunkCount(size, chunkSize);
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
}
