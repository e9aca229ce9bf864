package dev.parley.app.cli;

import dev.parley.app.engine.EngineConfig;
import dev.parley.app.node.NodeOptions;
import dev.parley.app.node.RelayOwners;
import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command accepts (README.md, "Command line"), before or after the subcommand's name. {@code --no-mdns}
 * turns off LAN discovery; {@code --bootstrap} and {@code --relay} say how the node reaches beyond its LAN, and
 * without {@code --bootstrap} it goes to the public libp2p bootstrap peers. Each command reads only some of them
 * ({@link #PROFILE}, {@link #IDENTITY}, {@link #NODE}, {@link #ALL}); {@link ParleyCommand} leaves the others out of
 * its help.
 */
public final class CommonOptions {
    /** The profile alone: where it is. */
    static final Set<String> PROFILE = Set.of("--profile");
    /** Who the profile is: its identity (which may need its passphrase) and the display name {@code --name} sets. */
    static final Set<String> IDENTITY = Set.of("--profile", "--name", "--passphrase-file");
    /** A node online as the profile: its identity, where it listens and how it reaches beyond the LAN. */
    static final Set<String> NODE = Set.of("--profile", "--name", "--passphrase-file", "--listen", "--bootstrap",
            "--relay");
    /** Everything: a node that also looks for peers on the LAN (the window, {@code chat}). */
    static final Set<String> ALL = Set.of("--profile", "--name", "--passphrase-file", "--listen", "--bootstrap",
            "--relay", "--no-mdns");

    static final Multiaddr DEFAULT_LISTEN = Multiaddr.parse("/ip4/0.0.0.0/tcp/0");
    /**
     * The public libp2p/IPFS bootstrap peers, as js-libp2p and kubo list them. Tests and runs in this workplace pass
     * {@code --bootstrap none}: these are on the internet.
     */
    static final List<Multiaddr> PUBLIC_BOOTSTRAP = Stream.of(
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb",
            "/dnsaddr/bootstrap.libp2p.io/p2p/QmcZf59bWwK5XFi76CZX8cbJ4BhTzzA3gU1ZjYZcYW3dwt",
            "/ip4/104.131.131.82/tcp/4001/p2p/QmaCpDMGvV2BGHeYERUEnRQAwe3N8SzbUtfsmvsqQLuvuJ")
            .map(Multiaddr::parse).toList();

    @Option(names = "--profile", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Profile directory (default: ~/.local/share/parley, on Windows %%APPDATA%%\\Parley, on"
                    + " macOS ~/Library/Application Support/Parley; $XDG_DATA_HOME/parley when that is set).")
    Path profile;

    @Option(names = "--name", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Display name shown to others.")
    String name;

    @Option(names = "--listen", paramLabel = "MULTIADDR", scope = ScopeType.INHERIT,
            converter = MultiaddrConverter.class,
            description = "Address to listen on; repeatable (default: /ip4/0.0.0.0/tcp/0).")
    List<Multiaddr> listen = new ArrayList<>();

    /** One value per flag: a greedy list would swallow a command's own MULTIADDR argument that follows it. */
    @Option(names = "--bootstrap", paramLabel = "none|MULTIADDR", scope = ScopeType.INHERIT,
            converter = BootstrapConverter.class,
            description = "A bootstrap peer (repeatable), or 'none' for no bootstrap at all.")
    List<String> bootstrap;

    @Option(names = "--relay", paramLabel = "MULTIADDR", scope = ScopeType.INHERIT,
            converter = MultiaddrConverter.class,
            description = "A relay to use; repeatable.")
    List<Multiaddr> relays = new ArrayList<>();

    @Option(names = "--no-mdns", scope = ScopeType.INHERIT, description = "Do not look for peers on the LAN.")
    boolean noMdns;

    @Option(names = "--passphrase-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "File whose first line is the profile's passphrase (default: ask on the terminal).")
    Path passphraseFile;

    Profile profile() {
        return new Profile(profile != null ? profile : Profile.defaultDirectory());
    }

    /**
     * Takes the profile for this process ({@link Profile#lock}): a command that writes the profile or goes online
     * with its identity holds the lock while it runs, and stops before changing anything when another process has it.
     */
    ProfileLock lockProfile() throws IOException {
        return profile().lock();
    }

    /**
     * The lock for a command that only reads the profile once it exists ({@code id}, {@code backup}): taken when
     * loading the identity would write (the first use creates it, {@code --name} saves the name), else none, so that
     * such a command runs alongside a running Parley.
     *
     * @return the lock, or null (which try-with-resources skips) when the command only reads
     */
    ProfileLock lockProfileIfWriting() throws IOException {
        return name != null || profile().needsIdentity() ? lockProfile() : null;
    }

    /** The profile's identity, created on first use; {@code --name}, when given, becomes the display name. */
    Identity identity() throws IOException {
        Optional<String> newName = checkedName();
        Identity identity = identityAsItIs();
        if (newName.isPresent()) {
            profile().setDisplayName(newName.get());
        }
        return identity;
    }

    /** The profile's identity, created on first use, for a command that sets no name ({@code ping}, …). */
    Identity identityAsItIs() throws IOException {
        return profile().loadOrCreateIdentity(passphrasePrompt());
    }

    /** {@code --name}, if given, once it is found to be a name others may see. */
    Optional<String> checkedName() {
        if (name == null) {
            return Optional.empty();
        }
        Optional<String> problem = ContactCard.displayNameProblem(name);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("--name: " + problem.get());
        }
        return Optional.of(name);
    }

    CommandLinePassphrase passphrasePrompt() {
        return new CommandLinePassphrase(passphraseFile, "--passphrase-file");
    }

    /** How the engine starts for this profile: its identity and display name, the addresses and peers given. */
    EngineConfig engineConfig() throws IOException {
        Identity identity = identity();
        Profile profile = profile();
        return EngineConfig.of(profile.directory(), identity, profile.displayName(), listenAddresses())
                .withNetwork(nodeOptions(false, false));
    }

    /** The node's reach from {@code --bootstrap} and {@code --relay}, with what the command adds. */
    NodeOptions nodeOptions(boolean servePerf, boolean relayService) {
        return new NodeOptions(servePerf, bootstrapPeers(), relays, relayService, RelayOwners.NONE);
    }

    /** {@code --bootstrap} as given, none for {@code --bootstrap none}, the public peers when not given. */
    List<Multiaddr> bootstrapPeers() {
        if (bootstrap == null || bootstrap.isEmpty()) {
            return PUBLIC_BOOTSTRAP;
        }
        if (bootstrap.contains(BootstrapConverter.NONE)) {
            if (bootstrap.size() > 1) {
                throw new IllegalArgumentException("--bootstrap none cannot be combined with bootstrap peers");
            }
            return List.of();
        }
        return bootstrap.stream().map(Multiaddr::parse).toList();
    }

    List<Multiaddr> listenAddresses() {
        return listen.isEmpty() ? List.of(DEFAULT_LISTEN) : listen;
    }
}
