package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.ui.DeliveryIcon.Mark;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SENT is "in the peer's mailbox", or "with Carol for Bo" when contacts carry it, for a 1:1 message only: a room's SENT
 * keeps the clock it always had.
 */
class DeliveryIconTest {
    @Test
    void aSentOneToOneMessageIsInTheMailboxWhileARoomsSentMessageStillWaits() {
        assertThat(Mark.of(MessageStatus.SENT, false, false)).isEqualTo(Mark.IN_MAILBOX);
        assertThat(Mark.of(MessageStatus.SENT, true, false)).isEqualTo(Mark.WAITING);
        for (boolean room : new boolean[] {false, true}) {
            assertThat(Mark.of(MessageStatus.SENDING, room, false)).isEqualTo(Mark.WAITING);
            assertThat(Mark.of(MessageStatus.DELIVERED, room, false)).isEqualTo(Mark.DELIVERED);
            assertThat(Mark.of(MessageStatus.READ, room, false)).isEqualTo(Mark.READ);
        }
    }

    @Test
    void aCarriedOneToOneMessageIsWithItsCarriersUntilDelivered() {
        assertThat(Mark.of(MessageStatus.SENT, false, true)).isEqualTo(Mark.WITH_CARRIER);
        assertThat(Mark.of(MessageStatus.SENT, true, true)).isEqualTo(Mark.WAITING);
        assertThat(Mark.of(MessageStatus.DELIVERED, false, true)).isEqualTo(Mark.DELIVERED);
        assertThat(DeliveryIcon.describe(MessageStatus.SENT, "Bo", List.of("Carol"))).isEqualTo("With Carol for Bo");
        assertThat(DeliveryIcon.describe(MessageStatus.SENT, "Bo", List.of("Carol", "Dan")))
                .isEqualTo("With Carol and Dan for Bo");
        assertThat(DeliveryIcon.describe(MessageStatus.SENT, "Bo", List.of())).isEqualTo("In Bo's mailbox");
        assertThat(DeliveryIcon.names(List.of("Carol", "Dan", "Eve"))).isEqualTo("Carol, Dan and Eve");
    }
}
