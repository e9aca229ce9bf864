package dev.parley.app.cli;

import picocli.CommandLine.ITypeConverter;

/** A {@code --bootstrap} value: the word {@code none}, or a multiaddr (checked here, parsed when used). */
final class BootstrapConverter implements ITypeConverter<String> {
    static final String NONE = "none";

    @Override
    public String convert(String value) {
        if (!NONE.equals(value)) {
            new MultiaddrConverter().convert(value);
        }
        return value;
    }
}
