package dev.parley.app.cli;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.profile.ProfileLock;
import dev.parley.transport.mdns.MdnsConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley chat [--json]}: a line-based chat client. Commands come on standard input (UTF-8), one a line
 * ({@link ChatCommands}); what happens goes to standard output, as human lines or, with {@code --json}, one
 * JSON object a line whose {@code "event"} says what it is. The first is {@code ready}, with the PeerId and
 * listen addresses; then, as they happen, {@code nearby}, {@code request}, {@code message}, {@code delivered},
 * {@code read}, {@code typing}, {@code presence} and {@code error}; and the answers to commands:
 * {@code invite}, {@code contact}, {@code sent}, {@code nearby-list}, {@code history}, {@code help}, or an
 * {@code error}. The end of input is {@code /quit}.
 */
@Command(name = "chat", description = "Chat from the terminal or a script: commands on standard input, events on standard output.")
final class ChatCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--json", description = "One JSON object a line instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ProfileLock lock = parent.common.lockProfile();
        try (lock) {
            return chat();
        }
    }

    private int chat() throws Exception {
        EngineConfig config = parent.common.engineConfig();
        ChatPrinter printer = new ChatPrinter(parent.spec.commandLine().getOut(), json);
        HeldEvents held = new HeldEvents();
        try (Engine engine = Engine.start(config, held)) {
            Thread closeOnSigterm = new Thread(engine::close, "chat-shutdown");
            Runtime.getRuntime().addShutdownHook(closeOnSigterm);
            printer.print(ChatCommands.ready(engine));
            held.release(new ChatEvents(engine, printer));
            if (!parent.common.noMdns) {
                startLanDiscovery(engine, printer);
            }
            ChatCommands commands = new ChatCommands(engine, printer);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            boolean going = true;
            while (going) {
                String line = in.readLine();
                going = line != null && commands.run(line);
            }
            Runtime.getRuntime().removeShutdownHook(closeOnSigterm);
        }
        return 0;
    }

    /** Chat goes on without mDNS when it cannot start: contacts are still reachable by their addresses. */
    private static void startLanDiscovery(Engine engine, ChatPrinter printer) {
        try {
            engine.nearby().startLanDiscovery(MdnsConfig.defaults());
        } catch (IOException e) {
            printer.error("no LAN discovery (mDNS): " + e.getMessage() + "; peers nearby will not show up");
        }
    }
}
