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

    @Test
    void aStateOfASubjectIsPrintedOnceUntilItChanges() {
        ChatPrinter printer = new ChatPrinter(new PrintWriter(written), false);
        printer.print(ChatPrinter.output("file", "#1 file complete").stateOf("message 1", "complete 3000"));
        printer.print(ChatPrinter.output("file", "#1 file complete").stateOf("message 1", "complete 3000"));
        printer.print(ChatPrinter.output("file", "#2 file complete").stateOf("message 2", "complete 3000"));
        printer.print(ChatPrinter.output("file", "#1 file cancelled").stateOf("message 1", "cancelled 0"));
        printer.print(ChatPrinter.output("file", "#1 file complete").stateOf("message 1", "complete 3000"));

        assertThat(written.toString().lines()).containsExactly("#1 file complete", "#2 file complete",
                "#1 file cancelled", "#1 file complete");
    }
}
