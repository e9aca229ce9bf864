package dev.parley.app.ui.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.Test;

class NearbyPanelTest extends ContactsGuiTest {

    @Test
    void peersFoundNearbyShowUpLiveAndAddMakesThemContacts() throws Exception {
        Engine alice = start("Alice");
        Engine bob = start("Bob");
        Engine carol = start("Carol");
        befriend(alice, carol);
        List<ContactInfo> added = new CopyOnWriteArrayList<>();
        FrameFixture window = frameWith(() -> {
            // Discovery here is the test's calls of found(): LAN discovery stays off on loopback.
            NearbyPanel panel = new NearbyPanel(alice, true);
            panel.onContactAdded(added::add);
            return panel;
        });
        window.label("nearbyPanel.emptyTitle").requireText("No one nearby yet.");
        window.label("nearbyPanel.emptyDetail").requireText("Parley finds people on the same network automatically.");
        screenshot(window.target(), "nearby-empty-light");

        String bobId = bob.peerId().toBase58();
        String carolId = carol.peerId().toBase58();
        alice.nearby().found(bob.peerId(), bob.listenAddresses());
        alice.nearby().found(carol.peerId(), carol.listenAddresses());
        until("Bob and Carol are listed", () -> showing(window.target(), "nearbyRow:" + bobId)
                && showing(window.target(), "nearbyRow:" + carolId));
        label(window, "nearbyName:" + bobId).requireText("Bob");
        label(window, "nearbyId:" + bobId).requireText(ContactTexts.shortId(bob.peerId()));
        label(window, "nearbyName:" + carolId).requireText("Carol");
        label(window, "nearbyStatus:" + carolId).requireText("Contact");
        assertThat(showing(window.target(), "addNearby:" + carolId)).isFalse();
        assertThat(showing(window.target(), "nearbyPanel.emptyTitle")).isFalse();
        screenshot(window.target(), "nearby-light");
        switchToDark();
        screenshot(window.target(), "nearby-dark");

        button(window, "addNearby:" + bobId).requireText("Add").click();
        until("Bob is a contact", () -> showing(window.target(), "nearbyStatus:" + bobId));
        label(window, "nearbyStatus:" + bobId).requireText("Contact");
        assertThat(alice.contacts().accepted()).extracting(ContactInfo::name).containsExactly("Bob", "Carol");
        assertThat(added).extracting(ContactInfo::peer).containsExactly(bob.peerId());

        alice.nearby().gone(bob.peerId());
        until("Bob is gone from the list", () -> !showing(window.target(), "nearbyRow:" + bobId));
        assertThat(showing(window.target(), "nearbyRow:" + carolId)).isTrue();
    }

    @Test
    void withLanDiscoveryOffTheEmptyPanelSaysSoAndHowToTurnItOn() throws Exception {
        Engine alice = start("Alice");
        assertThat(alice.nearby().lanDiscoveryRunning()).isFalse();

        FrameFixture window = frameWith(() -> new NearbyPanel(alice));

        window.label("nearbyPanel.emptyTitle").requireText("Discovery on this network is off.");
        window.label("nearbyPanel.emptyDetail")
                .requireText("Turn on “Find Parley users on this network” in Settings, then restart Parley.");
    }

    @Test
    void peersFoundBeforeThePanelOpensAreListedAtOnce() throws Exception {
        Engine alice = start("Alice");
        Engine bob = start("Bob");
        alice.nearby().found(bob.peerId(), bob.listenAddresses());
        until("the engine knows Bob is nearby", () -> !alice.nearby().peers().isEmpty());

        FrameFixture window = frameWith(() -> new NearbyPanel(alice));
        String bobId = bob.peerId().toBase58();
        until("Bob is listed", () -> showing(window.target(), "nearbyRow:" + bobId));
        button(window, "addNearby:" + bobId).requireEnabled();
    }
}
