package dev.parley.app.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, in words. Java's file exceptions carry only the path ({@code /x/y}) when the reason
 * is their type; a user needs the reason ("no such file") too.
 */
final class FileErrors {
    private FileErrors() {
    }

    /** The exception's message, with the reason added when it names only the file. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException failed && failed.getReason() == null && failed.getOtherFile() == null) {
            return failed.getFile() + ": " + reason(failed);
        }
        return e.getMessage();
    }

    /** Why {@code e} happened, without the file's name: "no such file", "permission denied", "is a directory". */
    static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException missing -> "no such file";
            case AccessDeniedException denied -> "permission denied";
            case FileAlreadyExistsException exists -> "it exists already";
            case NotDirectoryException notFolder -> "not a folder";
            case FileSystemException failed when failed.getReason() != null ->
                    failed.getReason().toLowerCase(Locale.ROOT);
            case CharacterCodingException notText -> "it is not UTF-8 text";
            default -> String.valueOf(e.getMessage());
        };
    }
}
