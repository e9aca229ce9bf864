package dev.parley.crypto.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parley.crypto.session.SessionException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two parties send both ways in a random interleaving over a network that loses, reorders and duplicates: every
 * message delivered at least once opens exactly once, with its text; every duplicate is refused; every failed open
 * leaves the receiver's encoded state as it was ({@link Party#open}); every state goes through encode and decode.
 * Each seed is a different conversation and is named when it fails, so it can be replayed.
 */
class RatchetPropertyTest {
    private static final int SEEDS = 300;

    /** A sealed message on its way, and what it must open to. */
    private record InFlight(int id, Party to, byte[] message, byte[] associatedData, String text) {
    }

    @Test
    void anyInterleavingWithLossReorderingAndDuplicationOpensEveryDeliveredMessageOnce() {
        int opened = 0;
        int refused = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            int[] counts = converse(seed);
            opened += counts[0];
            refused += counts[1];
        }
        assertThat(opened).as("messages opened over all seeds").isGreaterThan(SEEDS * 20);
        assertThat(refused).as("duplicates and misdeliveries refused over all seeds").isGreaterThan(SEEDS * 2);
    }

    /** Returns how many messages were opened and how many opens were refused. */
    private static int[] converse(int seed) {
        Random random = new Random(seed);
        Party[] parties = Party.newSession();
        List<InFlight> network = new ArrayList<>();
        List<InFlight> delivered = new ArrayList<>();
        Set<Integer> openedIds = new HashSet<>();
        int nextId = 0;
        int refused = 0;
        int steps = 40 + random.nextInt(120);
        for (int step = 0; step < steps; step++) {
            int action = random.nextInt(20);
            if (action < 8) {
                int from = random.nextInt(2);
                Party sender = parties[from];
                if (!sender.state.canSeal()) {
                    continue;
                }
                Party receiver = parties[1 - from];
                String text = "seed " + seed + " message " + nextId + " from " + sender;
                byte[] associatedData = ("to " + receiver).getBytes(UTF_8);
                InFlight message = new InFlight(nextId++, receiver,
                        sender.seal(text.getBytes(UTF_8), associatedData), associatedData, text);
                boolean lost = random.nextInt(8) == 0;
                if (!lost) {
                    network.add(message);
                }
            } else if (action < 16) {
                if (!network.isEmpty()) {
                    InFlight message = network.remove(random.nextInt(network.size()));
                    deliverFirstTime(seed, message, openedIds);
                    delivered.add(message);
                }
            } else if (action < 19) {
                if (!delivered.isEmpty()) {
                    InFlight duplicate = delivered.get(random.nextInt(delivered.size()));
                    expectRefused(seed, duplicate.to(), duplicate, "a duplicate");
                    refused++;
                }
            } else if (!network.isEmpty()) {
                InFlight message = network.get(random.nextInt(network.size()));
                Party wrongParty = message.to() == parties[0] ? parties[1] : parties[0];
                expectRefused(seed, wrongParty, message, "a message given to its own sender");
                refused++;
            }
        }
        while (!network.isEmpty()) {
            InFlight message = network.remove(random.nextInt(network.size()));
            deliverFirstTime(seed, message, openedIds);
        }
        return new int[] {openedIds.size(), refused};
    }

    private static void deliverFirstTime(int seed, InFlight message, Set<Integer> openedIds) {
        try {
            byte[] plaintext = message.to().open(message.message(), message.associatedData());
            assertThat(new String(plaintext, UTF_8)).as("seed %d", seed).isEqualTo(message.text());
            assertThat(openedIds.add(message.id())).as("seed %d: message %d opened twice", seed, message.id())
                    .isTrue();
        } catch (SessionException e) {
            fail("seed " + seed + ": message " + message.id() + " delivered for the first time is refused: "
                    + e.reason() + " " + e.getMessage());
        }
    }

    private static void expectRefused(int seed, Party receiver, InFlight message, String what) {
        try {
            receiver.open(message.message(), message.associatedData());
            fail("seed " + seed + ": " + what + " (message " + message.id() + ") opened");
        } catch (SessionException e) {
            assertThat(e.reason()).as("seed %d: %s", seed, what).isIn(Reason.KEY_USED_OR_DROPPED,
                    Reason.UNDECRYPTABLE);
        }
    }
}
