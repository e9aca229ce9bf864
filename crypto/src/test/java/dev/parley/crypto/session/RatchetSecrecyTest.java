package dev.parley.crypto.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a thief of a session state learns. Forward secrecy: the recipient's current state opens none of the messages
 * it has already opened, whichever key in it is tried. Post-compromise security: a stolen state reads the
 * conversation until the next round trip, and nothing after it.
 */
class RatchetSecrecyTest {
    /** How far a thief follows a chain key it holds: far beyond any chain in these conversations. */
    private static final int CHAIN_STEPS_TRIED = 64;

    private final Party[] session = Party.newSession();
    private final Party alice = session[0];
    private final Party bob = session[1];

    /** A message as recorded on the wire. */
    private record Recorded(int index, boolean toBob, byte[] message, byte[] associatedData, String text) {
    }

    private final List<Recorded> wire = new ArrayList<>();

    private Recorded send(Party sender, String text) {
        boolean toBob = sender == alice;
        byte[] associatedData = (toBob ? "to bob" : "to alice").getBytes(UTF_8);
        Recorded recorded = new Recorded(wire.size(), toBob, sender.seal(text.getBytes(UTF_8), associatedData),
                associatedData, text);
        wire.add(recorded);
        return recorded;
    }

    private static void deliver(Party receiver, Recorded recorded) throws SessionException {
        assertThat(receiver.open(recorded.message(), recorded.associatedData())).asString(UTF_8)
                .isEqualTo(recorded.text());
    }

    @Test
    void theRecipientsCurrentStateOpensNoneOfTheMessagesItHasOpened() throws Exception {
        Random random = new Random(21);
        RatchetKeyPair bobsFirstRatchetKey = RatchetKeyPair.fromPrivate(bob.state.sendingRatchet.privateKey());
        int mostSkippedKept = 0;
        Recorded neverDelivered = null;
        for (int turn = 0; turn < 8; turn++) {
            Party sender = turn % 2 == 0 ? alice : bob;
            Party receiver = turn % 2 == 0 ? bob : alice;
            List<Recorded> burst = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                burst.add(send(sender, "turn " + turn + " message " + i));
            }
            if (turn == 4) {
                neverDelivered = burst.remove(2);
            }
            Collections.shuffle(burst, random);
            for (Recorded recorded : burst) {
                deliver(receiver, recorded);
                mostSkippedKept = Math.max(mostSkippedKept, bob.state.skippedKeyCount());
            }
        }
        assertThat(mostSkippedKept).as("skipped keys were kept and used on the way").isPositive();
        assertThat(bob.state.skippedKeyCount()).as("only the lost message's key is still kept").isEqualTo(1);

        SessionState stolen = SessionState.decode(bob.state.encode());
        List<byte[]> messageKeys = everyMessageKeyAThiefCanDerive(stolen, bobsFirstRatchetKey);
        List<Recorded> delivered = new ArrayList<>(wire);
        delivered.remove(neverDelivered);
        for (Recorded recorded : delivered) {
            assertThat(openAsThief(stolen, recorded)).as("message %d through the ratchet", recorded.index())
                    .isEmpty();
            for (byte[] messageKey : messageKeys) {
                assertThat(opensWithMessageKey(messageKey, recorded)).as("message %d", recorded.index()).isFalse();
            }
        }
        assertThat(openAsThief(stolen, neverDelivered)).as("the message still on its way, as the kept key allows")
                .isPresent();
    }

    /**
     * Every 32-byte secret in the state, each also taken as a chain key followed {@link #CHAIN_STEPS_TRIED} steps,
     * and each root-key candidate combined with the state's ratchet private key (and Bob's first, long-term one) and
     * every ratchet public key seen in a header the thief can read.
     */
    private List<byte[]> everyMessageKeyAThiefCanDerive(SessionState stolen, RatchetKeyPair bobsFirstRatchetKey)
            throws GeneralSecurityException {
        List<byte[]> secrets = new ArrayList<>();
        for (byte[] key : new byte[][] {stolen.rootKey, stolen.sendingChainKey, stolen.sendingHeaderKey,
            stolen.receivingChainKey, stolen.receivingHeaderKey, stolen.nextSendingHeaderKey,
            stolen.nextReceivingHeaderKey, stolen.sendingRatchet.privateKey()}) {
            if (key != null) {
                secrets.add(key);
            }
        }
        for (SessionState.SkippedKey kept : stolen.skipped) {
            secrets.add(kept.headerKey());
            secrets.add(kept.messageKey());
        }
        List<byte[]> chainKeys = new ArrayList<>(secrets);
        for (RatchetKeyPair privateKey : List.of(stolen.sendingRatchet, bobsFirstRatchetKey)) {
            for (byte[] ratchetPublic : ratchetKeysInReadableHeaders(secrets)) {
                byte[] shared = privateKey.agree(ratchetPublic);
                for (byte[] rootKey : secrets) {
                    chainKeys.add(RatchetKdf.root(rootKey, shared).chainKey());
                }
            }
        }
        List<byte[]> messageKeys = new ArrayList<>(secrets);
        for (byte[] chainKey : chainKeys) {
            byte[] next = chainKey;
            for (int step = 0; step < CHAIN_STEPS_TRIED; step++) {
                RatchetKdf.ChainStep chain = RatchetKdf.chain(next);
                messageKeys.add(chain.messageKey());
                next = chain.nextChainKey();
            }
        }
        return messageKeys;
    }

    private Collection<byte[]> ratchetKeysInReadableHeaders(List<byte[]> headerKeyCandidates) {
        Map<String, byte[]> found = new HashMap<>();
        for (Recorded recorded : wire) {
            byte[] encryptedHeader = Arrays.copyOfRange(recorded.message(), 1, 1 + RatchetHeader.ENCRYPTED_SIZE);
            for (byte[] headerKey : headerKeyCandidates) {
                RatchetHeader.open(headerKey, encryptedHeader, new byte[] {Ratchet.VERSION}).ifPresent(
                        header -> found.put(HexFormat.of().formatHex(header.ratchetPublic()), header.ratchetPublic()));
            }
        }
        assertThat(found).as("the thief reads the headers of the current chains").isNotEmpty();
        return found.values();
    }

    private static boolean opensWithMessageKey(byte[] messageKey, Recorded recorded) {
        byte[] message = recorded.message();
        byte[] encryptedHeader = Arrays.copyOfRange(message, 1, 1 + RatchetHeader.ENCRYPTED_SIZE);
        RatchetKdf.PayloadKey payloadKey = RatchetKdf.payload(messageKey, Ratchet.headerNonce(encryptedHeader));
        byte[] associatedData = new byte[recorded.associatedData().length + encryptedHeader.length];
        System.arraycopy(recorded.associatedData(), 0, associatedData, 0, recorded.associatedData().length);
        System.arraycopy(encryptedHeader, 0, associatedData, recorded.associatedData().length,
                encryptedHeader.length);
        int offset = 1 + RatchetHeader.ENCRYPTED_SIZE;
        try {
            AesGcm.open(payloadKey.key(), payloadKey.nonce(), message, offset, message.length - offset,
                    associatedData);
            return true;
        } catch (GeneralSecurityException expected) {
            return false;
        }
    }

    /** The plaintext if the stolen state opens the message as the ratchet would. */
    private static Optional<String> openAsThief(SessionState stolen, Recorded recorded) {
        try {
            return Optional.of(new String(Ratchet.open(stolen, recorded.message(), recorded.associatedData(),
                    Party.START).plaintext(), UTF_8));
        } catch (SessionException refused) {
            return Optional.empty();
        }
    }

    @Test
    void aStolenStateReadsUntilTheNextRoundTripAndNothingAfter() throws Exception {
        for (int turn = 0; turn < 4; turn++) {
            Party sender = turn % 2 == 0 ? alice : bob;
            Party receiver = turn % 2 == 0 ? bob : alice;
            for (int i = 0; i < 3; i++) {
                deliver(receiver, send(sender, "before the theft, turn " + turn + " message " + i));
            }
        }
        // Bob has just replied; Alice has read it. The thief copies Bob's stored state, then only listens.
        SessionState stolen = bob.stolenCopy();
        SessionState thief = stolen;
        int stolenAt = wire.size();

        List<Recorded> readable = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Recorded recorded = send(bob, "Bob, still in the stolen sending chain " + i);
            readable.add(recorded);
            deliver(alice, recorded);
        }
        for (int i = 0; i < 3; i++) {
            readable.add(send(alice, "Alice, still to Bob's stolen chain " + i));
        }
        for (Recorded recorded : readable.subList(2, 5)) {
            deliver(bob, recorded);
        }
        List<Recorded> afterTheRoundTrip = new ArrayList<>();
        for (int turn = 0; turn < 4; turn++) {
            Party sender = turn % 2 == 0 ? bob : alice;
            Party receiver = turn % 2 == 0 ? alice : bob;
            for (int i = 0; i < 3; i++) {
                Recorded recorded = send(sender, "after Bob's fresh ratchet key, turn " + turn + " message " + i);
                afterTheRoundTrip.add(recorded);
                deliver(receiver, recorded);
            }
        }

        List<Integer> read = new ArrayList<>();
        for (Recorded recorded : wire.subList(stolenAt, wire.size())) {
            Optional<String> plaintext = recorded.toBob() ? openAsThief(thief, recorded)
                    : readWithSendingChain(thief, recorded);
            if (plaintext.isPresent()) {
                assertThat(plaintext.get()).isEqualTo(recorded.text());
                read.add(recorded.index());
                if (recorded.toBob()) {
                    thief = Ratchet.open(thief, recorded.message(), recorded.associatedData(), Party.START).next();
                }
            }
        }
        assertThat(read).as("the thief reads Bob's stolen sending chain and Alice's answers to it")
                .containsExactlyElementsOf(readable.stream().map(Recorded::index).toList());
        for (Recorded recorded : afterTheRoundTrip) {
            assertThat(openAsThief(thief, recorded)).as("message %d", recorded.index()).isEmpty();
            assertThat(openAsThief(stolen, recorded)).as("message %d", recorded.index()).isEmpty();
            assertThat(readWithSendingChain(thief, recorded)).as("message %d", recorded.index()).isEmpty();
            assertThat(opensWithMessageKeysOf(thief, recorded)).as("message %d", recorded.index()).isFalse();
        }
    }

    /** What the thief does with Bob's own messages: follow the stolen sending chain to the header's number. */
    private static Optional<String> readWithSendingChain(SessionState thief, Recorded recorded) {
        if (thief.sendingChainKey == null) {
            return Optional.empty();
        }
        byte[] encryptedHeader = Arrays.copyOfRange(recorded.message(), 1, 1 + RatchetHeader.ENCRYPTED_SIZE);
        Optional<RatchetHeader> header = RatchetHeader.open(thief.sendingHeaderKey, encryptedHeader,
                new byte[] {Ratchet.VERSION});
        if (header.isEmpty() || header.get().number() >= CHAIN_STEPS_TRIED) {
            return Optional.empty();
        }
        byte[] chainKey = thief.sendingChainKey;
        for (long step = thief.sentInChain; step < header.get().number(); step++) {
            chainKey = RatchetKdf.chain(chainKey).nextChainKey();
        }
        byte[] messageKey = RatchetKdf.chain(chainKey).messageKey();
        return opensWithMessageKey(messageKey, recorded) ? Optional.of(recorded.text()) : Optional.empty();
    }

    private static boolean opensWithMessageKeysOf(SessionState thief, Recorded recorded) {
        for (byte[] chainKey : new byte[][] {thief.sendingChainKey, thief.receivingChainKey, thief.rootKey}) {
            byte[] next = chainKey;
            for (int step = 0; next != null && step < CHAIN_STEPS_TRIED; step++) {
                RatchetKdf.ChainStep chain = RatchetKdf.chain(next);
                if (opensWithMessageKey(chain.messageKey(), recorded)) {
                    return true;
                }
                next = chain.nextChainKey();
            }
        }
        return false;
    }
}
