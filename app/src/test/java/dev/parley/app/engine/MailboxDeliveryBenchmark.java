package dev.parley.app.engine;

import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.mailbox.MailboxServer;
import dev.parley.app.mailbox.PairingCode;
import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.crypto.MessageId;
import dev.parley.store.MailboxLimits;
import dev.parley.store.MailboxStore;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bo's time from coming online to having every message that waited for him in his mailbox: Ada sends while Bo is
 * away (her Parley leaves each message in Bo's mailbox), then goes away too; Bo starts, watches his mailbox, opens,
 * commits and reports each message. Timed from the call that starts Bo's engine to the last MessageReceived event;
 * a real mailbox on loopback with its SQLite file, real engines with theirs, one JVM.
 *
 * <p>With {@code carrier}, there is no mailbox: Carol, a contact of both who stays online, carries the messages and
 * hands them to Bo when he starts (he dials his contacts as he does), timed the same way.
 *
 * <p>Arguments: {@code [messages (1000)] [rounds (5)] [mailbox|carrier]}. Prints each round and the median; asserts
 * nothing. The mailbox's per-capability quota is raised to hold the messages (its default is 1,000 within 14 days);
 * a carrier keeps at most 1,000 letters for one recipient.
 */
public final class MailboxDeliveryBenchmark {
    private MailboxDeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        boolean carrier = args.length > 2 && args[2].equals("carrier");
        List<Double> seconds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Path folder = Files.createTempDirectory("parley-mailbox-bench");
            double taken = carrier ? carriedRound(folder, messages) : round(folder, messages);
            seconds.add(taken);
            System.out.printf("round %d: %d messages from the %s in %.3f s (%.0f messages/s)%n", round + 1,
                    messages, carrier ? "carrier" : "mailbox", taken, messages / taken);
        }
        Collections.sort(seconds);
        double median = seconds.get(seconds.size() / 2);
        System.out.printf("p50 over %d rounds: %.3f s to have %d waiting messages (%.0f messages/s)%n", rounds, median,
                messages, messages / median);
    }

    private static double carriedRound(Path folder, int messages) throws Exception {
        try (TestEngine carol = TestEngine.start(folder, "Carol")) {
            TestEngine ada = TestEngine.start(folder, "Ada");
            TestEngine bo = TestEngine.start(folder, "Bo");
            TestEngine.befriend(ada, bo);
            TestEngine.befriend(ada, carol);
            TestEngine.befriend(bo, carol);
            ada.engine.chat().send(bo.peerId(), "see you");
            ada.engine.chat().send(carol.peerId(), "see you");
            ada.awaitOutboxEmptyFor(bo.peerId());
            ada.awaitOutboxEmptyFor(carol.peerId());
            bo.close();
            Set<MessageId> sent = new HashSet<>();
            for (int i = 0; i < messages; i++) {
                sent.add(ada.engine.chat().send(bo.peerId(), "message " + i + " while you were away"));
            }
            Set<MessageId> carried = new HashSet<>();
            ada.events.await(EngineEvent.WithCarrier.class, event -> {
                carried.addAll(event.ids());
                return carried.containsAll(sent);
            });
            ada.close();

            long start = System.nanoTime();
            try (TestEngine boAgain = bo.restart()) {
                boAgain.events.await(EngineEvent.MessageReceived.class, messages, Duration.ofMinutes(5));
                return (System.nanoTime() - start) / 1e9;
            }
        }
    }

    private static double round(Path folder, int messages) throws Exception {
        MailboxLimits limits = new MailboxLimits(messages * 4L, 256L << 20, messages * 2L, 128L << 20,
                Duration.ofDays(14), 4_096);
        try (Node node = new Node(Ed25519PrivateKey.generate(), NodeOptions.lanOnly());
             MailboxStore store = MailboxStore.open(folder.resolve("mailbox").resolve("mailbox.db"))) {
            List<Multiaddr> addresses = node.listen(List.of(TestEngine.LOOPBACK));
            try (MailboxServer server = MailboxServer.start(node.host(), store, 4, limits, Clock.systemUTC())) {
                String code = new PairingCode(node.host().peerId(), addresses, server.pairingSecret()).toText();
                TestEngine ada = TestEngine.start(folder, "Ada");
                TestEngine bo = TestEngine.start(folder, "Bo");
                TestEngine.befriend(ada, bo);
                bo.engine.mailbox().pair(code);
                bo.awaitOutboxEmptyFor(ada.peerId());
                bo.close();
                Set<MessageId> sent = new HashSet<>();
                for (int i = 0; i < messages; i++) {
                    sent.add(ada.engine.chat().send(bo.peerId(), "message " + i + " while you were away"));
                }
                Set<MessageId> held = new HashSet<>();
                ada.events.await(EngineEvent.InMailbox.class, event -> {
                    held.addAll(event.ids());
                    return held.containsAll(sent);
                });
                ada.close();

                long start = System.nanoTime();
                try (TestEngine boAgain = bo.restart()) {
                    boAgain.events.await(EngineEvent.MessageReceived.class, messages, Duration.ofMinutes(5));
                    return (System.nanoTime() - start) / 1e9;
                }
            }
        }
    }
}
