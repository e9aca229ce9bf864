package dev.parley.app.ui.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.MessageDetails;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomNotice;
import dev.parley.app.engine.api.RoomNotice.Kind;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each kind of notice worded in English and German; a notice stored as its sentence shown as it is. */
class RoomTextsTest {
    private static final Optional<String> BOB = Optional.of("Bob");
    private static final Optional<String> CLUB = Optional.of("Buchclub");
    private static final List<RoomNotice> EVERY_KIND = List.of(
            new RoomNotice(Kind.CREATED, "Alice", Optional.empty(), CLUB),
            new RoomNotice(Kind.ADDED, "Alice", BOB, Optional.empty()),
            new RoomNotice(Kind.REMOVED, "Alice", BOB, Optional.empty()),
            new RoomNotice(Kind.LEFT, "Alice", Optional.empty(), Optional.empty()),
            new RoomNotice(Kind.RENAMED, "Alice", Optional.empty(), CLUB),
            new RoomNotice(Kind.PROMOTED, "Alice", BOB, Optional.empty()));

    private final Locale before = Locale.getDefault();

    @AfterEach
    void restoreTheLanguage() {
        Locale.setDefault(before);
    }

    @Test
    void everyKindReadsInEnglishAndInGerman() {
        assertThat(EVERY_KIND.stream().map(RoomNotice::kind)).as("every kind").containsExactly(Kind.values());
        Locale.setDefault(Locale.ENGLISH);
        assertThat(EVERY_KIND.stream().map(RoomTextsTest::notice).map(RoomTexts::line)).containsExactly(
                "Alice created the room Buchclub", "Alice added Bob", "Alice removed Bob", "Alice left",
                "Alice renamed the room to Buchclub", "Alice made Bob an admin");
        Locale.setDefault(Locale.GERMAN);
        assertThat(EVERY_KIND.stream().map(RoomTextsTest::notice).map(RoomTexts::line)).containsExactly(
                "Alice hat den Raum Buchclub erstellt", "Alice hat Bob hinzugefügt", "Alice hat Bob entfernt",
                "Alice hat den Raum verlassen", "Alice hat den Raum in Buchclub umbenannt",
                "Alice hat Bob zum Admin gemacht");
    }

    @Test
    void aNameWithAnApostropheOrBracesIsShownAsItIs() {
        Locale.setDefault(Locale.GERMAN);
        assertThat(RoomTexts.line(notice(new RoomNotice(Kind.RENAMED, "O'Brien", Optional.empty(),
                Optional.of("{0} club"))))).isEqualTo("O'Brien hat den Raum in {0} club umbenannt");
    }

    @Test
    void aNoticeWithoutPartsAndAMembersMessageShowTheirText() {
        Locale.setDefault(Locale.GERMAN);
        assertThat(RoomTexts.line(line(true, "Alice added Bob", Optional.empty()))).isEqualTo("Alice added Bob");
        assertThat(RoomTexts.line(line(false, "hello", Optional.empty()))).isEqualTo("hello");
    }

    private static RoomMessage notice(RoomNotice parts) {
        return line(true, "the English sentence", Optional.of(parts));
    }

    private static RoomMessage line(boolean notice, String text, Optional<RoomNotice> parts) {
        return new RoomMessage(RoomId.random(), MessageId.random(), Identity.generate().peerId(), "Alice", false, notice, text, 1,
                Instant.EPOCH, MessageDetails.NONE, parts);
    }
}
