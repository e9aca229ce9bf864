package dev.parley.transport.relay;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.keys.pb.KeyProtos;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.pb.CircuitProtos.Envelope;
import dev.parley.transport.relay.pb.CircuitProtos.HopMessage;
import dev.parley.transport.relay.pb.CircuitProtos.Limit;
import dev.parley.transport.relay.pb.CircuitProtos.Peer;
import dev.parley.transport.relay.pb.CircuitProtos.Reservation;
import dev.parley.transport.relay.pb.CircuitProtos.Status;
import dev.parley.transport.relay.pb.CircuitProtos.StopMessage;
import dev.parley.transport.testing.FuzzSeeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * Fuzz targets for circuit relay v2: hop and stop messages read or are an {@link IOException}
 * ({@link RelayProtocolException} when malformed); what they carry — the peer, its addresses, the limit, the
 * reservation's voucher — decodes as the relay code decodes it, or is refused with its documented exception.
 * A voucher (a signed envelope) opens or is a {@link RelayProtocolException}. Corpus in
 * {@code RelayFuzzTestInputs/<method>/}; transport/README.md, Fuzzing.
 */
class RelayFuzzTest {

    @FuzzTest
    void hop(byte[] data) {
        HopMessage message;
        try {
            message = RelayCodec.readHop(new ByteArrayInputStream(data));
        } catch (IOException refused) {
            return;
        }
        if (message.hasPeer()) {
            peer(message.getPeer());
        }
        RelayCodec.limit(message);
        if (message.hasReservation()) {
            message.getReservation().getAddrsList().forEach(address -> address(address.toByteArray()));
            if (message.getReservation().hasVoucher()) {
                voucher(message.getReservation().getVoucher().toByteArray());
            }
        }
    }

    @FuzzTest
    void stop(byte[] data) {
        StopMessage message;
        try {
            message = RelayCodec.readStop(new ByteArrayInputStream(data));
        } catch (IOException refused) {
            return;
        }
        if (message.hasPeer()) {
            peer(message.getPeer());
        }
        RelayCodec.limit(message);
    }

    @FuzzTest
    void voucher(byte[] data) {
        try {
            Voucher.open(data);
        } catch (RelayProtocolException refused) {
            // the documented refusal
        }
    }

    private static void peer(Peer peer) {
        try {
            RelayCodec.peerId(peer);
        } catch (RelayProtocolException refused) {
            return;
        }
        peer.getAddrsList().forEach(address -> address(address.toByteArray()));
    }

    private static void address(byte[] bytes) {
        try {
            Multiaddr.fromBytes(bytes);
        } catch (IllegalArgumentException refused) {
            // the documented refusal
        }
    }

    /** Writes the seeds from the production encoders; run from transport/ (README, Fuzzing). */
    public static void main(String[] args) throws Exception {
        Ed25519PrivateKey relayKey = Ed25519PrivateKey.fromSeed(new byte[32]);
        PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
        PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.fromSeed(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}).publicKey());
        byte[] voucher = new Voucher(relay, peer, Instant.ofEpochSecond(1_800_000_000L)).seal(relayKey);
        Limit limit = Limit.newBuilder().setDuration(120).setData(1 << 17).build();
        HopMessage reserved = HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(Status.OK)
                .setReservation(Reservation.newBuilder().setExpire(1_800_000_000L).addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip4/192.0.2.42/tcp/4001").bytes()))
                        .setVoucher(ByteString.copyFrom(voucher)))
                .setLimit(limit).build();
        HopMessage connect = HopMessage.newBuilder().setType(HopMessage.Type.CONNECT)
                .setPeer(RelayCodec.peer(peer).toBuilder().addAddrs(ByteString.copyFrom(Multiaddr.parse("/ip6/2001:db8::1/tcp/4001/ws").bytes()))).build();
        HopMessage reserve = HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build();
        FuzzSeeds.of(RelayFuzzTest.class, "hop").addLengthPrefixed(reserved.toByteArray())
                .addLengthPrefixed(connect.toByteArray()).addLengthPrefixed(reserve.toByteArray());
        StopMessage stopConnect = StopMessage.newBuilder().setType(StopMessage.Type.CONNECT)
                .setPeer(RelayCodec.peer(peer)).setLimit(limit).build();
        StopMessage stopStatus = StopMessage.newBuilder().setType(StopMessage.Type.STATUS)
                .setStatus(Status.CONNECTION_FAILED).build();
        FuzzSeeds.of(RelayFuzzTest.class, "stop").addLengthPrefixed(stopConnect.toByteArray())
                .addLengthPrefixed(stopStatus.toByteArray());
        FuzzSeeds.of(RelayFuzzTest.class, "voucher").add(voucher).add(secp256k1WithEmptySignature());
    }

    /**
     * Regression input: an envelope signed, it says, by a secp256k1 key with an empty signature, on which
     * {@code Secp256k1PublicKey.verify} threw a NullPointerException instead of answering false.
     */
    private static byte[] secp256k1WithEmptySignature() {
        byte[] point = CustomNamedCurves.getByName("secp256k1").getG().getEncoded(true);
        return Envelope.newBuilder()
                .setPublicKey(KeyProtos.PublicKey.newBuilder().setType(KeyProtos.KeyType.Secp256k1)
                        .setData(ByteString.copyFrom(point)))
                .setPayloadType(ByteString.copyFrom(Voucher.PAYLOAD_TYPE))
                .setPayload(ByteString.copyFrom(new byte[] {10, 0}))
                .build().toByteArray();
    }
}
