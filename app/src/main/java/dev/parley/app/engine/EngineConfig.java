package dev.parley.app.engine;

import dev.parley.app.engine.room.SyncPace;
import dev.parley.app.engine.time.Clocks;
import dev.parley.app.node.NodeOptions;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How an {@link Engine} starts.
 *
 * @param profileDirectory the profile: the engine keeps the addresses it last listened on there
 * @param identity         the user's keys; its PeerId is the node's
 * @param displayName      the name on the contact card others see
 * @param listenAddresses  where to listen, e.g. {@code /ip4/0.0.0.0/tcp/0}
 * @param storeFile        the SQLite history
 * @param network          bootstrap peers, relays: how far beyond the LAN the node looks
 * @param inboundRate      how fast what one peer sends is stored ({@link InboundRate#DEFAULT})
 * @param roomInboundRate  how fast the room envelopes one peer sends are stored ({@link InboundRate#ROOM_DEFAULT})
 * @param syncPace         how fast we answer one room member's syncs ({@link SyncPace#DEFAULT})
 * @param clocks           the time the engine goes by ({@link Clocks#SYSTEM}; a test may pass its own)
 * @param cardFeatures     what our contact card says this Parley can do ({@link ContactCard#SUPPORTED_FEATURES}; a
 *                         test may stand in for an older Parley with fewer)
 */
public record EngineConfig(Path profileDirectory, Identity identity, String displayName,
                           List<Multiaddr> listenAddresses, Path storeFile, NodeOptions network,
                           InboundRate inboundRate, InboundRate roomInboundRate, SyncPace syncPace,
                           Clocks clocks, Set<ContactCard.Feature> cardFeatures) {
    /** The history file's name in the profile directory. */
    public static final String STORE_FILE = "parley.db";

    public EngineConfig {
        listenAddresses = List.copyOf(listenAddresses);
        cardFeatures = Set.copyOf(cardFeatures);
        ContactCard.displayNameProblem(displayName).ifPresent(problem -> {
            throw new IllegalArgumentException("display name: " + problem);
        });
    }

    /** A configuration with the history in the profile directory, for the LAN only. */
    public static EngineConfig of(Path profileDirectory, Identity identity, String displayName,
                                  List<Multiaddr> listenAddresses) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses,
                profileDirectory.resolve(STORE_FILE), NodeOptions.lanOnly(), InboundRate.DEFAULT, InboundRate.ROOM_DEFAULT,
                SyncPace.DEFAULT, Clocks.SYSTEM, ContactCard.SUPPORTED_FEATURES);
    }

    /** This configuration listening on {@code addresses} instead, e.g. only through a relay. */
    public EngineConfig withListenAddresses(List<Multiaddr> addresses) {
        return new EngineConfig(profileDirectory, identity, displayName, addresses, storeFile, network, inboundRate,
                roomInboundRate, syncPace, clocks, cardFeatures);
    }

    /** This configuration reaching as far as {@code options} say. */
    public EngineConfig withNetwork(NodeOptions options) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses, storeFile, options,
                inboundRate, roomInboundRate, syncPace, clocks, cardFeatures);
    }

    /** This configuration storing what each peer sends as fast as {@code rate} allows, e.g. unlimited in benchmarks. */
    public EngineConfig withInboundRate(InboundRate rate) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses, storeFile, network, rate,
                roomInboundRate, syncPace, clocks, cardFeatures);
    }

    /** This configuration storing the room envelopes each peer sends as fast as {@code rate} allows. */
    public EngineConfig withRoomInboundRate(InboundRate rate) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses, storeFile, network,
                inboundRate, rate, syncPace, clocks, cardFeatures);
    }

    /** This configuration answering each room member's syncs as fast as {@code pace} allows. */
    public EngineConfig withSyncPace(SyncPace pace) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses, storeFile, network,
                inboundRate, roomInboundRate, pace, clocks, cardFeatures);
    }

    /** This configuration going by {@code clocks}, e.g. a test's that it moves on itself. */
    public EngineConfig withClocks(Clocks clocks) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses, storeFile, network,
                inboundRate, roomInboundRate, syncPace, clocks, cardFeatures);
    }

    /** This configuration with a card that lists {@code features}, e.g. none, as a Parley from before features did. */
    public EngineConfig withCardFeatures(Set<ContactCard.Feature> features) {
        return new EngineConfig(profileDirectory, identity, displayName, listenAddresses, storeFile, network,
                inboundRate, roomInboundRate, syncPace, clocks, features);
    }
}
