package dev.parley.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import java.util.List;
import org.junit.jupiter.api.Test;

class JumpDialogTest {
    private static final JumpDialog.Entry BOB = contact("Bob Martin");
    private static final JumpDialog.Entry DAVE = contact("Dave Okafor");
    private static final JumpDialog.Entry OLGA = contact("olga");
    private static final JumpDialog.Entry CLUB = new JumpDialog.Entry(new Place.Room(RoomId.random()), "Book club",
            "room");
    private static final List<JumpDialog.Entry> LISTED = List.of(BOB, DAVE, CLUB, OLGA);

    @Test
    void namesThatStartWithTheTextComeFirstThenThoseWithAWordThatDoesThenTheRestEachInTheListsOrder() {
        assertThat(JumpDialog.matching(LISTED, "o")).containsExactly(OLGA, DAVE, BOB, CLUB);
        assertThat(JumpDialog.matching(LISTED, "CLU")).containsExactly(CLUB);
        assertThat(JumpDialog.matching(LISTED, " b ")).containsExactly(BOB, CLUB);
    }

    @Test
    void aBlankTextOffersEverythingInTheListsOrderAndAnUnknownOneNothing() {
        assertThat(JumpDialog.matching(LISTED, "  ")).containsExactlyElementsOf(LISTED);
        assertThat(JumpDialog.matching(LISTED, "zebra")).isEmpty();
    }

    private static JumpDialog.Entry contact(String name) {
        return new JumpDialog.Entry(new Place.Contact(Identity.generate().peerId()), name, "contact");
    }
}
