package dev.parley.app.engine.session;

import dev.parley.app.engine.Chat;
import dev.parley.app.engine.Engine;
import dev.parley.app.engine.EngineConfig;
import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.HistoryPage;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.IdentityFiles;
import dev.parley.store.StoreLimits;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * The child JVM of {@link SessionCrashTest}: one real engine on loopback, on a profile that keeps its identity across
 * restarts, driven by lines on standard input and reporting on standard output, one line each, flushed at once, so that
 * the parent can kill it with SIGKILL at a moment it chose and still know what had happened.
 *
 * <p>Commands: {@code add <invite>}; {@code send <name> <first> <count>} sends the texts {@code <name>-<first>} on,
 * in order, each reported {@code sent <text> <message id>} once its future completed (the message is durably queued);
 * {@code undelivered} answers {@code undelivered <n>}; {@code history} answers one {@code history <text>} per message
 * the contact sent, then {@code history-end}; {@code quit}. Events: {@code ready <invite>} once the engine runs,
 * {@code received <text>} per {@link EngineEvent.MessageReceived}, {@code delivered <id>} per
 * {@link EngineEvent.Delivered}.
 */
public final class SessionCrashPeer {
    private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final PrintStream out = System.out;
    private final Engine engine;
    /** The one contact, once added (or found among the accepted ones after a restart). */
    private volatile PeerId contact;

    private SessionCrashPeer(Engine engine) {
        this.engine = engine;
        this.contact = engine.contacts().accepted().stream().map(ContactInfo::peer).findFirst().orElse(null);
    }

    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        String name = args[1];
        Files.createDirectories(profile);
        if (!IdentityFiles.exists(profile)) {
            IdentityFiles.save(Identity.generate(), profile, null);
        }
        Identity identity = IdentityFiles.load(profile, null);
        // EngineConfig.of listens on loopback only and looks no further than the LAN: no bootstrap, no relays.
        try (Engine engine = Engine.start(EngineConfig.of(profile, identity, name, List.of(LOOPBACK))
                .withCardFeatures(EnumSet.of(ContactCard.Feature.FORWARD_SECRET_SESSIONS,
                        ContactCard.Feature.CHAINED_SENDER_KEYS)))) {
            new SessionCrashPeer(engine).run();
        }
    }

    private void run() throws Exception {
        engine.subscribe(event -> {
            switch (event) {
                case EngineEvent.MessageReceived received -> report("received " + received.message().text());
                case EngineEvent.Delivered delivered -> report("delivered " + delivered.id());
                default -> {
                }
            }
        });
        report("ready " + engine.invite());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "add" -> {
                    contact = engine.contacts().add(words[1]).peer();
                    report("added " + contact);
                }
                case "send" -> send(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]));
                case "undelivered" -> report("undelivered " + engine.chat().undelivered().stream()
                        .mapToInt(Chat.Undelivered::messages).sum());
                case "history" -> history();
                case "quit" -> {
                    return;
                }
                default -> throw new IllegalArgumentException("unknown command: " + line);
            }
        }
    }

    private void send(String name, int first, int count) throws Exception {
        for (int number = first; number < first + count; number++) {
            String text = name + "-" + number;
            engine.chat().sendAsync(contact, text).whenComplete((id, failure) ->
                    report(failure == null ? "sent " + text + " " + id : "failed " + text + " " + failure));
        }
    }

    private void history() throws Exception {
        HistoryPage page = engine.history().newest(contact, StoreLimits.MAX_PAGE_SIZE);
        if (page.messages().size() == StoreLimits.MAX_PAGE_SIZE) {
            throw new IllegalStateException("the history holds more than one page; the test sends fewer messages");
        }
        for (ChatMessage message : page.messages()) {
            if (!message.outgoing()) {
                report("history " + message.text());
            }
        }
        report("history-end");
    }

    private void report(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
