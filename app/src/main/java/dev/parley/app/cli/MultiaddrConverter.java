package dev.parley.app.cli;

import dev.parley.transport.multiformats.Multiaddr;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a multiaddr argument, turning a parse failure into a usage error that names the bad text. */
final class MultiaddrConverter implements ITypeConverter<Multiaddr> {
    @Override
    public Multiaddr convert(String value) {
        try {
            return Multiaddr.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a multiaddr: " + e.getMessage());
        }
    }
}
