package dev.parley.app.engine;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageChange;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two engines in this JVM on loopback with durable stores, contacts of each other: how long a reaction, an edit and
 * a deletion for everyone take from Alice's call until Bob's engine reports the change (sealed, sent, verified,
 * opened, applied and committed on his side). One action at a time, each on its own message of Alice's.
 *
 * <p>Arguments: {@code [actions of each kind (300)]}. Prints p50, p90 and max per kind; asserts nothing.
 */
public final class MessageActionsBenchmark {
    private static final int WARM_UP = 100;

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        System.out.printf("MessageActionsBenchmark: %d cores, Java %s, %d of each after %d to warm up%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), count, WARM_UP);
        Path folder = Files.createTempDirectory("parley-actions-benchmark");
        try (Engine alice = start(folder, "Alice"); Engine bob = start(folder, "Bob")) {
            alice.contacts().add(bob.invite());
            bob.contacts().add(alice.invite());
            LinkedBlockingQueue<EngineEvent> atBob = new LinkedBlockingQueue<>();
            bob.subscribe(atBob::add);
            int total = WARM_UP + count;
            List<MessageRef> messages = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                MessageId id = alice.chat().send(bob.peerId(), "message " + i);
                messages.add(new MessageRef(new ConversationRef.Direct(bob.peerId()), alice.peerId(), id));
            }
            int received = 0;
            while (received < total) {
                if (next(atBob) instanceof EngineEvent.MessageReceived) {
                    received++;
                }
            }
            report("react", roundTrips(messages, atBob, MessageChange.REACTIONS,
                    message -> alice.actions().react(message, "👍")));
            report("edit", roundTrips(messages, atBob, MessageChange.EDITED,
                    message -> alice.actions().edit(message, "edited " + message.id())));
            report("delete", roundTrips(messages, atBob, MessageChange.DELETED,
                    message -> alice.actions().deleteForEveryone(message)));
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @FunctionalInterface
    private interface Action {
        void on(MessageRef message) throws Exception;
    }

    /** Milliseconds from each action to Bob's change event; the warm-up's left out. */
    private static List<Double> roundTrips(List<MessageRef> messages, LinkedBlockingQueue<EngineEvent> atBob,
                                          MessageChange change, Action action) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageRef message = messages.get(i);
            long start = System.nanoTime();
            action.on(message);
            while (!(next(atBob) instanceof EngineEvent.MessageChanged changed && changed.change() == change
                    && changed.message().id().equals(message.id()))) {
                // Other events (deliveries, presence) are not what is timed.
            }
            if (i >= WARM_UP) {
                millis.add((System.nanoTime() - start) / 1e6);
            }
        }
        return millis;
    }

    private static EngineEvent next(LinkedBlockingQueue<EngineEvent> events) throws InterruptedException {
        EngineEvent event = events.poll(60, TimeUnit.SECONDS);
        if (event == null) {
            throw new IllegalStateException("no event from Bob's engine within 60 s");
        }
        return event;
    }

    private static void report(String kind, List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        System.out.printf("%-6s p50 %.1f ms, p90 %.1f ms, max %.1f ms (%d)%n", kind, sorted.get(sorted.size() / 2),
                sorted.get(sorted.size() * 9 / 10), sorted.getLast(), sorted.size());
    }

    private static Engine start(Path folder, String name) throws IOException {
        return Engine.start(EngineConfig.of(folder.resolve(name), Identity.generate(), name,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).withInboundRate(InboundRate.UNLIMITED));
    }
}
