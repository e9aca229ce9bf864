package dev.parley.app.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A byte count: plain ({@code 1048576}) or with a binary suffix ({@code 64KiB}, {@code 256MiB}, {@code 1GiB}, or K/M/G). */
final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String text = value.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long unit = 1;
        if (!text.isEmpty()) {
            switch (text.charAt(text.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                default -> { }
            }
        }
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        try {
            long count = Long.parseLong(digits);
            if (count < 0) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return Math.multiplyExact(count, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a byte count (e.g. 1048576, 64KiB, 256MiB)");
        }
    }
}
