package dev.parley.app.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.app.mailbox.wire.MailboxProtos.Deposit;
import dev.parley.app.mailbox.wire.MailboxProtos.Fetch;
import dev.parley.app.mailbox.wire.MailboxProtos.MailboxRequest;
import dev.parley.app.mailbox.wire.MailboxProtos.Pair;
import dev.parley.app.mailbox.wire.MailboxProtos.Revoke;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.memory.MemoryScope;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz targets for what reaches a mailbox or its users from others: a stream of {@code /parley/mailbox} requests,
 * a pairing code's text and a deposit capability's bytes. Each reads or throws its documented exception, and what
 * decodes encodes to something that decodes the same. Corpus in {@code MailboxFuzzTestInputs/<method>/}; app/README.md,
 * Fuzzing.
 */
class MailboxFuzzTest {
    private static final String PEER = "fuzzer";

    @FuzzTest
    void mailboxRequests(byte[] data) {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        try {
            Optional<MailboxRequest> request;
            do {
                request = MailboxFrames.readRequest(in, MemoryScope.uncounted(), PEER);
            } while (request.isPresent());
        } catch (IOException refused) {
            // the documented refusal
        }
    }

    @FuzzTest
    void pairingCode(byte[] data) {
        PairingCode code;
        try {
            code = PairingCode.parse(new String(data, StandardCharsets.UTF_8));
        } catch (InvalidMailboxCodeException refused) {
            return;
        }
        assertThat(parses(code.toText())).contains(code);
    }

    @FuzzTest
    void capability(byte[] data) throws InvalidMailboxCodeException {
        DepositCapability capability;
        try {
            capability = DepositCapability.decode(data);
        } catch (InvalidMailboxCodeException refused) {
            return;
        }
        assertThat(DepositCapability.decode(capability.encode())).isEqualTo(capability);
    }

    private static Optional<PairingCode> parses(String text) {
        try {
            return Optional.of(PairingCode.parse(text));
        } catch (InvalidMailboxCodeException e) {
            return Optional.empty();
        }
    }

    /** Writes the seeds from the production encoders; run from app/ (README, Fuzzing). */
    public static void main(String[] args) throws IOException {
        PeerId mailbox = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId owner = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        List<Multiaddr> addresses = List.of(Multiaddr.parse("/ip4/192.0.2.7/tcp/4010"));
        DepositCapability capability = DepositCapability.mint(new byte[32], owner, mailbox, addresses);
        FuzzSeeds.of(MailboxFuzzTest.class, "capability").add(capability.encode());
        FuzzSeeds.of(MailboxFuzzTest.class, "pairingCode").add(new PairingCode(mailbox, addresses, new byte[32])
                .toText().getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (MailboxRequest request : List.of(
                MailboxRequest.newBuilder().setPair(Pair.newBuilder().setSecret(ByteString.copyFrom(new byte[32])))
                        .build(),
                MailboxRequest.newBuilder().setDeposit(Deposit.newBuilder().setOwner(ByteString.copyFrom(owner.bytes()))
                        .setCapId(ByteString.copyFrom(capability.capId())).setTag(ByteString.copyFrom(capability.tag()))
                        .setEnvelope(ByteString.copyFrom(new byte[64]))).build(),
                MailboxRequest.newBuilder().setFetch(Fetch.newBuilder().setAfterSeq(7).setMax(10).setWatch(true)).build(),
                MailboxRequest.newBuilder().setRevoke(Revoke.newBuilder().addCapIds(ByteString.copyFrom(new byte[16])))
                        .build())) {
            MailboxFrames.write(request, frames);
        }
        FuzzSeeds.of(MailboxFuzzTest.class, "mailboxRequests").add(frames.toByteArray());
    }
}
