package dev.parley.app.ui.contacts;

import static dev.parley.app.ui.i18n.Texts.text;

import dev.parley.app.engine.Engine;
import dev.parley.app.engine.api.ContactInfo;
import dev.parley.app.engine.api.ContactStatus;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.NearbyPeer;
import dev.parley.transport.multiformats.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.swing.JButton;
import javax.swing.JComponent;

/**
 * The Parley peers on the same network, found by discovery: each with its name, short PeerId and an "Add" button
 * (or "Contact" when it already is one). Follows the engine's nearby events while it is shown.
 */
public final class NearbyPanel extends LivePeerList<NearbyPanel.Entry> {
    /** A nearby peer and where the user stands with it, if it is known. */
    record Entry(NearbyPeer nearby, Optional<ContactStatus> state) {
    }

    /** The panel over {@code engine}, which says so when LAN discovery is off. */
    public NearbyPanel(Engine engine) {
        this(engine, engine.nearby().lanDiscoveryRunning());
    }

    /**
     * The panel as it is with LAN discovery on or off: off, nobody shows up unless found another way, so the empty
     * panel says how to turn discovery on instead of suggesting that people are looked for.
     */
    NearbyPanel(Engine engine, boolean discovering) {
        super(engine, "nearbyPanel", text(discovering ? "nearby.empty" : "nearby.off"),
                text(discovering ? "nearby.empty.detail" : "nearby.off.detail"));
    }

    /** Called on the EDT with each contact added here, e.g. to open the conversation with them. */
    public void onContactAdded(Consumer<ContactInfo> listener) {
        listenForNewContacts(listener);
    }

    @Override
    List<Entry> load() {
        return engine.nearby().peers().stream()
                .map(nearby -> new Entry(nearby, engine.contacts().get(nearby.peer()).map(ContactInfo::status)))
                .toList();
    }

    @Override
    boolean affects(EngineEvent event) {
        return event instanceof EngineEvent.Nearby || event instanceof EngineEvent.NearbyGone
                || event instanceof EngineEvent.ContactUpdated;
    }

    @Override
    JComponent row(Entry entry) {
        NearbyPeer nearby = entry.nearby();
        PeerId peer = nearby.peer();
        String id = peer.toBase58();
        JComponent[] lines = {
                Widgets.label(nearby.name(), "nearbyName:" + id, "h4"),
                Widgets.described(Widgets.secondary(ContactTexts.shortId(peer), "nearbyId:" + id), id)};
        JComponent action = switch (entry.state().orElse(ContactStatus.REQUEST)) {
            case ACCEPTED -> Widgets.secondary(text("contact.state.contact"), "nearbyStatus:" + id);
            case BLOCKED -> Widgets.secondary(text("contact.state.blocked"), "nearbyStatus:" + id);
            case REQUEST -> addButton(nearby);
        };
        return new PeerRow("nearbyRow:" + id, peer, nearby.name(), lines, action);
    }

    private JButton addButton(NearbyPeer nearby) {
        PeerId peer = nearby.peer();
        return actionButton(peer, text("nearby.add"), text("nearby.adding"), "addNearby:" + peer.toBase58(),
                text("nearby.add.description", nearby.name()), () -> engine.nearby().add(peer), this::newContact);
    }
}
