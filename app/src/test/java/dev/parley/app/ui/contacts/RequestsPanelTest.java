package dev.parley.app.ui.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

class RequestsPanelTest extends ContactsGuiTest {

    @Test
    void strangersWhoWriteFirstShowUpWithTheirMessageToAcceptOrBlock() throws Exception {
        Engine alice = start("Alice");
        Engine carol = start("Carol");
        Engine dave = start("Dave");
        carol.contacts().add(alice.invite());
        carol.chat().send(alice.peerId(), "Hi Alice, it is Carol from the book club");
        until("Carol's request reached Alice", () -> !alice.contacts().requests().isEmpty());

        List<ContactInfo> accepted = new CopyOnWriteArrayList<>();
        FrameFixture window = frameWith(() -> {
            RequestsPanel panel = new RequestsPanel(alice);
            panel.onAccepted(accepted::add);
            return panel;
        });
        String carolId = carol.peerId().toBase58();
        String daveId = dave.peerId().toBase58();
        until("Carol's request is listed", () -> showing(window.target(), "requestRow:" + carolId));
        label(window, "requestName:" + carolId).requireText("Carol");
        until("Carol's message is shown", () -> labelReads(window.target(), "requestMessage:" + carolId,
                "Hi Alice, it is Carol from the book club"));

        dave.contacts().add(alice.invite());
        dave.chat().send(alice.peerId(), "Dave here.\nWe met at the station.");
        until("Dave's request shows up", () -> showing(window.target(), "requestRow:" + daveId));
        label(window, "requestName:" + daveId).requireText("Dave");
        label(window, "requestId:" + daveId).requireText(ContactTexts.shortId(dave.peerId()));
        until("Dave's message is shown", () -> labelReads(window.target(), "requestMessage:" + daveId,
                "Dave here. We met at the station."));
        // A request keeps 20 messages until accepted (app/README.md, "Requests and rates"); the row says what went.
        for (int i = 1; i <= 20; i++) {
            dave.chat().send(alice.peerId(), "Dave again, " + i);
        }
        until("Dave's dropped message is counted", () -> showing(window.target(), "requestDropped:" + daveId));
        label(window, "requestDropped:" + daveId).requireText("…and 1 more message was dropped until you accept");
        screenshot(window.target(), "requests-light");
        switchToDark();
        screenshot(window.target(), "requests-dark");

        button(window, "acceptRequest:" + carolId).click();
        until("Carol's row is gone", () -> !showing(window.target(), "requestRow:" + carolId));
        assertThat(alice.contacts().accepted()).extracting(ContactInfo::peer).containsExactly(carol.peerId());
        assertThat(accepted).extracting(ContactInfo::name).containsExactly("Carol");

        button(window, "blockRequest:" + daveId).click();
        until("Dave's row is gone", () -> !showing(window.target(), "requestRow:" + daveId));
        assertThat(alice.contacts().blocked()).extracting(ContactInfo::peer).containsExactly(dave.peerId());
        assertThat(alice.contacts().requests()).isEmpty();
        window.label("requestsPanel.emptyTitle").requireText("No message requests.");
    }

    @Test
    void aFailedActionIsShownInWordsAndTheRowStays() throws Exception {
        Engine alice = start("Alice");
        Engine carol = start("Carol");
        carol.contacts().add(alice.invite());
        carol.chat().send(alice.peerId(), "Hello?");
        until("Carol's request reached Alice", () -> !alice.contacts().requests().isEmpty());
        FrameFixture window = frameWith(() -> new RequestsPanel(alice));
        String carolId = carol.peerId().toBase58();
        until("Carol's request is listed", () -> showing(window.target(), "requestRow:" + carolId));

        alice.close();
        button(window, "acceptRequest:" + carolId).click();
        until("the problem is shown", () -> showing(window.target(), "requestsPanel.problem"));
        assertThat(window.textBox("requestsPanel.problem").text()).contains("is closed").doesNotContain("Exception");
        button(window, "acceptRequest:" + carolId).requireEnabled().requireText("Accept");
    }
}
