package dev.parley.app.cli;

import static dev.parley.app.cli.ChatPrinter.output;

import dev.parley.app.cli.ChatPrinter.Output;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.MailboxStatus;
import java.util.List;

/**
 * {@code /mailbox …} in {@code parley chat}: pairing with a mailbox ({@code parley mailbox} prints the code),
 * leaving it, and how it is. Changes are reported by the engine's {@code mailbox} events.
 */
final class MailboxCommands {
    static final List<String> HELP = List.of(
            "/mailbox                     show your mailbox: which, connected, what waits there",
            "/mailbox pair CODE           make a mailbox yours (parley mailbox prints the code)",
            "/mailbox unpair              leave your mailbox; contacts are told you have none");

    private final Engine engine;
    private final ChatPrinter printer;

    MailboxCommands(Engine engine, ChatPrinter printer) {
        this.engine = engine;
        this.printer = printer;
    }

    /** Runs {@code /mailbox [SUBCOMMAND ARGUMENTS]}. */
    void run(String arguments) throws EngineException {
        int space = arguments.indexOf(' ');
        String subcommand = space < 0 ? arguments : arguments.substring(0, space);
        String rest = space < 0 ? "" : arguments.substring(space + 1).strip();
        switch (subcommand) {
            case "" -> printer.print(status(engine.mailbox().status()));
            case "pair" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("/mailbox pair CODE: the code parley mailbox printed is missing");
                }
                engine.mailbox().pair(rest);
            }
            case "unpair" -> engine.mailbox().unpair();
            default -> throw new IllegalArgumentException("unknown /mailbox " + subcommand + "; /help lists the commands");
        }
    }

    /** A {@code mailbox} event: how our mailbox is now. */
    static Output status(MailboxStatus status) {
        if (status.mailbox().isEmpty()) {
            return output("mailbox", "no mailbox; /mailbox pair CODE makes one yours").with("paired", false);
        }
        String human = "mailbox " + status.mailbox().get() + (status.connected() ? ", connected" : ", not connected")
                + status.usage().map(usage -> ", " + Plural.of(usage.envelopes(), "envelope") + " waiting (at most "
                        + usage.maxEnvelopes() + ", kept " + usage.retentionDays() + " days)").orElse("")
                + (status.fetched() > 0 ? ", " + status.fetched() + " fetched" : "");
        Output output = output("mailbox", human).with("paired", true).with("mailboxId", status.mailbox().get().toBase58())
                .with("connected", status.connected()).with("fetched", status.fetched());
        status.pairedAt().ifPresent(at -> output.with("pairedAt", at.toString()));
        status.usage().ifPresent(usage -> output.with("waiting", usage.envelopes()).with("waitingBytes", usage.bytes())
                .with("maxEnvelopes", usage.maxEnvelopes()).with("maxBytes", usage.maxBytes())
                .with("retentionDays", usage.retentionDays()));
        return output;
    }
}
