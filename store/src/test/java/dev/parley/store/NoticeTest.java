package dev.parley.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A notice's body keeps what happened; its sentence is rendered with the names of whoever shows it. */
class NoticeTest {
    static final String ADA = "12D3KooWAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAdaAd";
    static final String BO = "12D3KooWBoBoBoBoBoBoBoBoBoBoBoBoBoBoBoBoBoBoBoBoB";
    static final Function<String, String> NAMES = peer -> Map.of(ADA, "Ada", BO, "Bo").getOrDefault(peer, peer);

    @Test
    void everyEventEncodesToABodyThatDecodesToItAndRendersItsSentence() {
        Map<Notice, String> sentences = Map.of(
                new Notice(Notice.Event.CREATED, ADA, Optional.empty(), Optional.of("Climbing \"club\" {1}")),
                "Ada created the room Climbing \"club\" {1}",
                new Notice(Notice.Event.ADDED, ADA, Optional.of(BO), Optional.empty()), "Ada added Bo",
                new Notice(Notice.Event.REMOVED, ADA, Optional.of(BO), Optional.empty()), "Ada removed Bo",
                new Notice(Notice.Event.LEFT, BO, Optional.empty(), Optional.empty()), "Bo left",
                new Notice(Notice.Event.RENAMED, BO, Optional.empty(), Optional.of("Bouldering")),
                "Bo renamed the room to Bouldering",
                new Notice(Notice.Event.PROMOTED, ADA, Optional.of(BO), Optional.empty()), "Ada made Bo an admin");
        sentences.forEach((notice, sentence) -> {
            String body = notice.encode();
            assertThat(Notice.decode(body)).contains(notice);
            assertThat(Notice.text(body, NAMES)).isEqualTo(sentence);
        });
        assertThat(new Notice(Notice.Event.ADDED, ADA, Optional.of(BO), Optional.empty()).encode())
                .isEqualTo("{\"notice\":1,\"event\":\"added\",\"actor\":\"" + ADA + "\",\"subject\":\"" + BO + "\"}");
    }

    @Test
    void theSentenceUsesTheNamesKnownWhenItIsShownAndAPeerIdForSomeoneUnknown() {
        String body = new Notice(Notice.Event.ADDED, ADA, Optional.of(BO), Optional.empty()).encode();
        assertThat(Notice.text(body, peer -> peer.equals(ADA) ? "Ada Lovelace" : peer)).isEqualTo(
                "Ada Lovelace added " + BO);
    }

    @Test
    void aBodyThatIsNoNoticeOfThisVersionShowsAsItIs() {
        for (String body : new String[] {
                "Ada added Bo",
                "{weird} added Bo",
                "{\"notice\":2,\"event\":\"added\",\"actor\":\"" + ADA + "\",\"subject\":\"" + BO + "\"}",
                "{\"notice\":\"1\",\"event\":\"left\",\"actor\":\"" + ADA + "\"}",
                "{\"notice\":1,\"event\":\"joined\",\"actor\":\"" + ADA + "\"}",
                "{\"notice\":1,\"event\":\"left\",\"actor\":\"" + ADA + "\",\"colour\":\"red\"}",
                "{\"notice\":1,\"event\":\"left\",\"actor\":\"" + ADA + "\",\"actor\":\"" + BO + "\"}",
                "{\"notice\":1,\"event\":\"added\",\"actor\":\"" + ADA + "\"}",
                "{\"notice\":1,\"event\":\"left\",\"actor\":\"" + ADA + "\",\"subject\":\"" + BO + "\"}",
                "{\"notice\":1,\"event\":\"left\",\"actor\":\"" + ADA + "\"} and more",
                "{\"notice\":1,\"event\":\"left\",\"actor\":{\"id\":\"" + ADA + "\"}}",
                "{\"notice\":1,\"event\":\"left\"",
                "{\"notice\":2,\"event\":\"session-renewed\",\"peer\":\"" + BO + "\"}",
                "{\"notice\":1,\"event\":\"session-renewed\"}",
                "{\"notice\":1,\"event\":\"session-renewed\",\"peer\":\"" + BO + "\",\"actor\":\"" + ADA + "\"}",
                "{\"notice\":1,\"event\":\"session-renewed\",\"peer\":\"\"}"}) {
            assertThat(Notice.decode(body)).as(body).isEmpty();
            assertThat(SessionNotice.decode(body)).as(body).isEmpty();
            assertThat(Notice.text(body, NAMES)).isEqualTo(body);
        }
    }

    @Test
    void aNoticeWithoutTheSubjectOrNameItsEventNeedsIsRefused() {
        assertThatThrownBy(() -> new Notice(Notice.Event.REMOVED, ADA, Optional.empty(), Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs subject");
        assertThatThrownBy(() -> new Notice(Notice.Event.RENAMED, ADA, Optional.empty(), Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("needs name");
        assertThatThrownBy(() -> new Notice(Notice.Event.LEFT, ADA, Optional.of(BO), Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no subject");
    }

    @Test
    void aRenewedSessionsNoticeNamesItsPeerAndReadsTheSameWhoeverShowsIt() {
        String body = new SessionNotice(BO).encode();
        assertThat(body).isEqualTo("{\"notice\":1,\"event\":\"session-renewed\",\"peer\":\"" + BO + "\"}");
        assertThat(SessionNotice.decode(body)).contains(new SessionNotice(BO));
        assertThat(Notice.decode(body)).as("not a membership notice, which a room would word").isEmpty();
        assertThat(Notice.text(body, NAMES)).isEqualTo("Secure session renewed");
        String added = new Notice(Notice.Event.ADDED, ADA, Optional.of(BO), Optional.empty()).encode();
        assertThat(SessionNotice.decode(added)).isEmpty();
    }
}
