package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.MessageStatus;
import dev.parley.app.ui.DeliveryIcon.Mark;
import org.junit.jupiter.api.Test;

/** SENT is "in the peer's mailbox" for a 1:1 message only: a room's SENT keeps the clock it always had. */
class DeliveryIconTest {
    @Test
    void aSentOneToOneMessageIsInTheMailboxWhileARoomsSentMessageStillWaits() {
        assertThat(Mark.of(MessageStatus.SENT, false)).isEqualTo(Mark.IN_MAILBOX);
        assertThat(Mark.of(MessageStatus.SENT, true)).isEqualTo(Mark.WAITING);
        for (boolean room : new boolean[] {false, true}) {
            assertThat(Mark.of(MessageStatus.SENDING, room)).isEqualTo(Mark.WAITING);
            assertThat(Mark.of(MessageStatus.DELIVERED, room)).isEqualTo(Mark.DELIVERED);
            assertThat(Mark.of(MessageStatus.READ, room)).isEqualTo(Mark.READ);
        }
    }
}
