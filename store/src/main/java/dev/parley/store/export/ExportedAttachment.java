package dev.parley.store.export;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The file a message offers, as the formats write it.
 *
 * @param safeName what the formats show and the copy is called after its hash: the name made safe
 * @param content  the SHA-256 of the file, when it is whole in the profile
 * @param copy     where the export put its copy, relative to the export's own folder ({@code chat_files/…}): only
 *                 for a whole file, and only for an export to a file
 */
record ExportedAttachment(ExportedFile file, String safeName, Optional<String> content, Optional<String> copy) {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB"};

    /** The copy's path as a relative URL: each byte outside the unreserved characters of RFC 3986 percent-encoded. */
    Optional<String> href() {
        return copy.map(path -> {
            StringBuilder url = new StringBuilder();
            for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xFF);
                if (c == '/' || c == '-' || c == '.' || c == '_' || c == '~' || (c >= '0' && c <= '9')
                        || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    url.append(c);
                } else {
                    url.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
                }
            }
            return url.toString();
        });
    }

    /** The file's size for people: {@code 812 bytes}, {@code 1.4 MiB}. */
    String sizeText() {
        long size = file.size();
        if (size < 1024) {
            return size + (size == 1 ? " byte" : " bytes");
        }
        double scaled = size;
        int unit = -1;
        while (scaled >= 1024 && unit < UNITS.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", scaled, UNITS[unit]);
    }

    /** Whether a page can show it as a picture: the copy, or else the thumbnail the offer carries. */
    boolean showsAsPicture() {
        return file.isPicture() && (copy.isPresent() || thumbnailType().isPresent());
    }

    /** The thumbnail's media type, if the offer has a thumbnail of a type a page may show inline. */
    Optional<String> thumbnailType() {
        return file.thumbnail().isPresent() && (file.thumbnailType().equals("image/jpeg")
                || file.thumbnailType().equals("image/png")) ? Optional.of(file.thumbnailType()) : Optional.empty();
    }
}
