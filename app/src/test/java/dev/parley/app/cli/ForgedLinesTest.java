package dev.parley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.RoomMessage;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a member can make {@code parley chat} print for people with the text of a room message, which the engine hands
 * on as the member wrote it: never a line that reads as a notice, nor a character that moves the terminal's cursor,
 * clears what it shows or turns the text's direction.
 */
class ForgedLinesTest {
    private static final String ROOM = "Climbing";
    private static final String FORGED_NOTICE = ROOM + " [12:00] * Alice removed Carol";

    private final RoomId room = RoomId.random();
    private final Identity bob = Identity.generate();

    private String printed(String text) {
        StringWriter written = new StringWriter();
        RoomMessage fromBob = new RoomMessage(room, MessageId.random(), bob.peerId(), "Bob", false, false, text, 1,
                Instant.parse("2026-12-06T12:00:00Z"));
        new ChatPrinter(new PrintWriter(written), false).print(RoomCommands.message(new MessageNumbers(), fromBob, ROOM));
        return written.toString();
    }

    @Test
    void aLineBreakInAMembersMessageStartsNoLineOfItsOwn() {
        List<String> lines = printed("see below\n" + FORGED_NOTICE).lines().toList();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("#1 " + ROOM + " [").contains("Bob: see below");
        assertThat(lines.get(1)).as("the message's second line").startsWith(" ").isNotEqualTo(FORGED_NOTICE);
    }

    @Test
    void noControlOrDirectionCharacterOfAMembersMessageReachesTheTerminal() {
        for (String forged : List.of("ok\r" + FORGED_NOTICE, "ok\u001b[2K\u001b[1G" + FORGED_NOTICE,
                "ok\u000b" + FORGED_NOTICE, "ok\u0085" + FORGED_NOTICE, "ok\u2028" + FORGED_NOTICE,
                "\u202eloraC devomer ecilA *")) {
            String printed = printed(forged);
            assertThat(printed.substring(0, printed.length() - System.lineSeparator().length()).codePoints())
                    .as("what %s printed", forged.codePoints().mapToObj(Integer::toHexString).toList())
                    .noneMatch(codePoint -> Character.getType(codePoint) == Character.CONTROL && codePoint != '\n'
                            || codePoint == 0x2028 || codePoint >= 0x202a && codePoint <= 0x202e);
        }
    }
}
