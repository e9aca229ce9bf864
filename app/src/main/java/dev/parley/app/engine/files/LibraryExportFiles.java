package dev.parley.app.engine.files;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.store.Attachment;
import dev.parley.store.AttachmentState;
import dev.parley.store.MessageKey;
import dev.parley.store.export.ExportFiles;
import dev.parley.store.export.ExportedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a profile's messages for its history exports and imports: offers read and made as the engine does
 * ({@link OfferedFile}, with its limits), bytes from and into the profile's {@link FileLibrary}, checked on the way in
 * against the content's SHA-256 and the offer's root.
 */
public final class LibraryExportFiles implements ExportFiles {
    private static final Logger log = LoggerFactory.getLogger(LibraryExportFiles.class);

    private final FileLibrary library;

    public LibraryExportFiles(FileLibrary library) {
        this.library = library;
    }

    @Override
    public Optional<ExportedFile> read(Attachment attachment) {
        try {
            OfferedFile offer = OfferedFile.fromWire(FileOffer.parseFrom(attachment.offer()));
            return Optional.of(new ExportedFile(offer.name(), offer.size(), offer.mediaType(), offer.root(),
                    offer.key(), offer.chunkSize(), offer.thumbnail(), offer.thumbnailType(), offer.width(),
                    offer.height()));
        } catch (InvalidProtocolBufferException | InvalidOfferException e) {
            log.warn("the file offer of message {} does not read back, so the export leaves it out: {}",
                    attachment.message().id(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public String safeName(String name) {
        return FileNames.sanitise(name, MAX_SAFE_NAME_BYTES);
    }

    @Override
    public Optional<Path> stored(String content) {
        Path stored = library.stored(content);
        return Files.isRegularFile(stored) ? Optional.of(stored) : Optional.empty();
    }

    @Override
    public Optional<Kept> keep(Path source, String content, ExportedFile file, LongConsumer copied)
            throws IOException {
        Optional<OfferedFile> offer = offer(file);
        if (offer.isEmpty()) {
            return Optional.empty();
        }
        Optional<FileLibrary.Prepared> brought = library.importCopy(source, content, offer.get(), copied);
        if (brought.isEmpty()) {
            log.warn("{} is not the file its export names (SHA-256 {}, {} bytes, the offer's tree): left out, the file"
                    + " is imported as offered", source, content, file.size());
        }
        return brought.map(prepared -> new Kept(prepared.content(), prepared.leaves()));
    }

    @Override
    public boolean accepts(ExportedFile file) {
        return offer(file).isPresent();
    }

    @Override
    public Optional<Attachment> restore(MessageKey message, ExportedFile file, Optional<Kept> kept) {
        return offer(file).map(offer -> new Attachment(message, offer.root(), offer.toWire().toByteArray(),
                offer.size(), offer.chunkCount(), kept.map(Kept::leaves),
                kept.isPresent() ? ChunkBits.all(offer.chunkCount()) : ChunkBits.none(offer.chunkCount()),
                kept.isPresent() ? AttachmentState.COMPLETE : AttachmentState.OFFERED, kept.map(Kept::content)));
    }

    /** The offer the fields make, held to the limits of one off the wire; empty, with a warning, if they break them. */
    private static Optional<OfferedFile> offer(ExportedFile file) {
        try {
            return Optional.of(OfferedFile.fromWire(new OfferedFile(file.name(), file.size(), file.mediaType(),
                    file.root(), file.key(), file.chunkSize(), file.thumbnail(), file.thumbnailType(), file.width(),
                    file.height()).toWire()));
        } catch (InvalidOfferException e) {
            log.warn("the file {} in the export makes no offer Parley accepts ({}); its message is imported as text",
                    FileNames.sanitise(file.name()), e.getMessage());
            return Optional.empty();
        }
    }
}
