package dev.parley.app.cli;

import dev.parley.transport.multiformats.PeerId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses a PeerId argument, turning a parse failure into a usage error that names the bad text. */
final class PeerIdConverter implements ITypeConverter<PeerId> {
    @Override
    public PeerId convert(String value) {
        try {
            return PeerId.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a PeerId: " + e.getMessage());
        }
    }
}
