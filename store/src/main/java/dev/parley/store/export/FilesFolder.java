package dev.parley.store.export;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder beside an export file that holds the files its messages offer: {@code chat.json} has
 * {@code chat_files/}, with one copy of each content, called {@code <sha256>-<safe name>}. An import looks a copy up
 * by the hash at the start of its name only ({@link #byContent}), so no name in a folder or a file leads it anywhere
 * else. Created with the first copy; {@link #discard} takes back what one export put there, if it fails.
 */
final class FilesFolder {
    private static final Logger log = LoggerFactory.getLogger(FilesFolder.class);
    /** The start of a copy's name: a content's SHA-256, then the end or a hyphen and the name. */
    private static final Pattern COPY_NAME = Pattern.compile("([0-9a-f]{64})(-.*)?");

    private final Path folder;
    /** The contents copied by this export, and what their copies are called. */
    private final Map<String, String> copied = new HashMap<>();
    private final List<Path> created = new ArrayList<>();
    private boolean createdFolder;
    private long copiedBytes;

    private FilesFolder(Path folder) {
        this.folder = folder;
    }

    /** The files folder of the export file {@code export}. */
    static FilesFolder of(Path export) {
        return new FilesFolder(besides(export));
    }

    /** {@code chat.json} → {@code chat_files} in the same folder. */
    static Path besides(Path export) {
        String name = export.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return export.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "_files");
    }

    /**
     * Copies {@code source}, the whole file of {@code content}, into the folder unless this export did already;
     * answers the copy's path relative to the export's folder. A copy there from an earlier export of the same
     * content and size is kept.
     */
    String copy(String content, String safeName, Path source) throws IOException {
        String done = copied.get(content);
        if (done != null) {
            return relative(done);
        }
        if (!Files.isDirectory(folder)) {
            Files.createDirectory(folder);
            createdFolder = true;
        }
        String name = content + "-" + safeName;
        Path target = folder.resolve(name);
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) || Files.size(target) != Files.size(source)) {
            Path partial = Files.createTempFile(folder, "." + content + ".", ".part");
            try {
                Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(partial);
            }
            created.add(target);
        }
        copied.put(content, name);
        copiedBytes += Files.size(target);
        return relative(name);
    }

    /** How many contents this export copied (or found copied already). */
    long copied() {
        return copied.size();
    }

    long copiedBytes() {
        return copiedBytes;
    }

    private String relative(String name) {
        return folder.getFileName() + "/" + name;
    }

    /** Deletes the copies this export made, and the folder if it made it: the export failed or was cancelled. */
    void discard() {
        try {
            for (Path copy : created) {
                Files.deleteIfExists(copy);
            }
            if (createdFolder) {
                Files.deleteIfExists(folder);
            }
        } catch (IOException e) {
            log.warn("the copies of files in {} from an export that did not finish stay: {}", folder, e.getMessage());
        }
    }

    /**
     * The copies in the files folder of the export file {@code export}, by the content their names start with: regular
     * files only, never a link; the first of several copies of one content. Empty when there is no such folder.
     */
    static Map<String, Path> byContent(Path export) throws IOException {
        Path folder = besides(export);
        Map<String, Path> copies = new HashMap<>();
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            return copies;
        }
        try (var entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                var name = COPY_NAME.matcher(entry.getFileName().toString());
                if (name.matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    copies.putIfAbsent(name.group(1), entry);
                }
            }
        }
        return copies;
    }
}
