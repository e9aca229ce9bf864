package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.crypto.wire.EnvelopeProtos;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void messageIdsRoundTripThroughBytesAndHex() {
        MessageId id = MessageId.random();

        assertThat(MessageId.fromBytes(id.bytes())).isEqualTo(id).hasSameHashCodeAs(id);
        assertThat(MessageId.parse(id.toString())).isEqualTo(id);
        assertThat(id.toString()).matches("[0-9a-f]{32}");
        assertThat(id.bytes()).hasSize(16);
    }

    @Test
    void timeOrderedIdsStartWithTheTimeAndSortByIt() {
        long millis = 1_700_000_000_123L;
        MessageId first = MessageId.timeOrdered(millis);
        MessageId sameMillisecond = MessageId.timeOrdered(millis);
        MessageId later = MessageId.timeOrdered(millis + 1);

        assertThat(first.toString()).startsWith(String.format("%012x", millis));
        assertThat(first).isNotEqualTo(sameMillisecond);
        assertThat(later.toString()).isGreaterThan(first.toString()).isGreaterThan(sameMillisecond.toString());
        assertThat(MessageId.parse(later.toString())).isEqualTo(later);
    }

    @Test
    void timeOrderedIdsRefuseTimesBeyond48Bits() {
        assertThatThrownBy(() -> MessageId.timeOrdered(1L << 48))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(1L << 48));
        assertThatThrownBy(() -> MessageId.timeOrdered(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void idsAreEqualByValue() {
        byte[] bytes = new byte[16];
        bytes[15] = 7;

        assertThat(new HashSet<>(Set.of(RoomId.fromBytes(bytes))).contains(RoomId.fromBytes(bytes.clone()))).isTrue();
        assertThat(RoomId.fromBytes(bytes).toString()).isEqualTo("00000000000000000000000000000007");
        assertThat(RoomId.random()).isNotEqualTo(RoomId.random());
    }

    @Test
    void wrongSizesAndTextAreRefusedWithTheNumbers() {
        assertThatThrownBy(() -> MessageId.fromBytes(new byte[15]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a message id has 16 bytes, got 15");
        assertThatThrownBy(() -> MessageId.parse("abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 hex digits, got 'abc'");
        assertThatThrownBy(() -> MessageId.parse("z".repeat(32)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not hex");
    }

    @Test
    void bothPeersComputeTheSameDirectConversation() {
        Identity alice = Identity.generate();
        Identity bob = Identity.generate();

        assertThat(ConversationId.direct(alice.peerId(), bob.peerId()))
                .isEqualTo(ConversationId.direct(bob.peerId(), alice.peerId()))
                .isNotEqualTo(ConversationId.direct(alice.peerId(), Identity.generate().peerId()));
    }

    @Test
    void aRoomsConversationIsTheRoomId() {
        RoomId room = RoomId.random();

        assertThat(ConversationId.of(room).bytes()).isEqualTo(room.bytes());
    }

    @Test
    void kindsMatchTheWireEnum() {
        Set<String> wire = Arrays.stream(EnvelopeProtos.Kind.values())
                .filter(kind -> kind != EnvelopeProtos.Kind.UNRECOGNIZED && kind != EnvelopeProtos.Kind.KIND_UNSPECIFIED)
                .map(Enum::name)
                .collect(Collectors.toSet());

        assertThat(Arrays.stream(EnvelopeKind.values()).map(Enum::name)).containsExactlyInAnyOrderElementsOf(wire);
        for (EnvelopeKind kind : EnvelopeKind.values()) {
            assertThat(EnvelopeKind.fromWire(kind.wireNumber())).contains(kind);
        }
        assertThat(EnvelopeKind.fromWire(0)).isEmpty();
        assertThat(EnvelopeKind.fromWire(1000)).isEmpty();
    }

    @Test
    void theReplayGuardRemembersTheLastIdsUpToItsCapacity() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(2);
        MessageId first = MessageId.random();
        MessageId second = MessageId.random();
        MessageId third = MessageId.random();

        assertThat(guard.firstSeen(first)).isTrue();
        assertThat(guard.firstSeen(first)).isFalse();
        assertThat(guard.firstSeen(second)).isTrue();
        assertThat(guard.firstSeen(third)).isTrue();
        assertThat(guard.firstSeen(second)).isFalse();
        assertThat(guard.firstSeen(first)).as("evicted as the oldest").isTrue();
    }
}
