package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What {@code parley chat} prints for one event, as JSON and for people. */
class ChatPrinterTest {
    private final StringWriter written = new StringWriter();

    @Test
    void jsonIsOneLineEventFirstWithNonAsciiEscaped() {
        new ChatPrinter(new PrintWriter(written), true).print(ChatPrinter.output("message", "Alice: héllo ☺")
                .with("name", "Alice").with("text", "héllo ☺ مرحبا"));

        assertThat(written.toString()).isEqualTo("{\"event\":\"message\",\"name\":\"Alice\","
                + "\"text\":\"h\\u00E9llo \\u263A \\u0645\\u0631\\u062D\\u0628\\u0627\"}" + System.lineSeparator());
    }

    @Test
    void withoutJsonThePersonsLineIsPrintedAsItIs() {
        new ChatPrinter(new PrintWriter(written), false).print(ChatPrinter.output("message", "Alice: héllo ☺")
                .with("text", "héllo ☺"));

        assertThat(written.toString()).isEqualTo("Alice: héllo ☺" + System.lineSeparator());
    }
}
