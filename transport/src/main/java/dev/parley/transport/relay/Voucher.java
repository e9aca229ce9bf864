package dev.parley.transport.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.relay.pb.CircuitProtos.ReservationVoucher;
import java.time.Instant;

/**
 * A reservation voucher: the relay's signed word that it serves {@code peer} until {@code expiration}
 * (specs relay/circuit-v2.md, "Reservation Vouchers"). Advisory today; nobody yet requires one to dial.
 */
public record Voucher(PeerId relay, PeerId peer, Instant expiration) {
    static final String DOMAIN = "libp2p-relay-rsvp";
    /** Multicodec 0x0302 written as its two bytes, as go-libp2p and js-libp2p do (not as a varint). */
    static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

    /** The voucher in a signed envelope; {@code relayKey} must be the relay's. */
    byte[] seal(Ed25519PrivateKey relayKey) {
        byte[] payload = ReservationVoucher.newBuilder()
                .setRelay(ByteString.copyFrom(relay.bytes()))
                .setPeer(ByteString.copyFrom(peer.bytes()))
                .setExpiration(expiration.getEpochSecond())
                .build().toByteArray();
        return SignedEnvelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, payload);
    }

    /** Opens a sealed voucher, checking the signature and that the signer is the relay it names. */
    public static Voucher open(byte[] envelope) throws RelayProtocolException {
        SignedEnvelope opened = SignedEnvelope.open(envelope, DOMAIN, PAYLOAD_TYPE);
        ReservationVoucher voucher;
        try {
            voucher = ReservationVoucher.parseFrom(opened.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new RelayProtocolException("voucher payload of " + opened.payload().length + " bytes: "
                    + e.getMessage());
        }
        PeerId relay;
        PeerId peer;
        try {
            relay = PeerId.fromBytes(voucher.getRelay().toByteArray());
            peer = PeerId.fromBytes(voucher.getPeer().toByteArray());
        } catch (IllegalArgumentException e) {
            throw new RelayProtocolException("voucher names a malformed peer id: " + e.getMessage());
        }
        PeerId signer = PeerId.fromPublicKey(opened.signer());
        if (!signer.equals(relay)) {
            throw new RelayProtocolException("voucher for relay " + relay + " is signed by " + signer);
        }
        return new Voucher(relay, peer, Instant.ofEpochSecond(voucher.getExpiration()));
    }
}
