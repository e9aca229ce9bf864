package dev.parley.store.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The forms an export takes: one for programs (and for importing back), three for people. */
public enum ExportFormat {
    JSON("json", "JSON (can be imported back)"),
    HTML("html", "Web page (HTML)"),
    TEXT("txt", "Plain text"),
    MARKDOWN("md", "Markdown");

    private final String extension;
    private final String label;

    ExportFormat(String extension, String label) {
        this.extension = extension;
        this.label = label;
    }

    /** The file name extension, which is also the format's name on the command line. */
    public String extension() {
        return extension;
    }

    public String label() {
        return label;
    }

    /**
     * The format called {@code name} ({@code json}, {@code html}, {@code txt}, {@code md}; also {@code text} and
     * {@code markdown}).
     *
     * @throws IllegalArgumentException naming the formats there are
     */
    public static ExportFormat named(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (ExportFormat format : values()) {
            if (format.extension.equals(wanted) || format.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("no export format '" + name + "'; choose one of "
                + Arrays.stream(values()).map(ExportFormat::extension).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
