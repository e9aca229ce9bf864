package dev.parley.app.cli;

import dev.parley.app.Profile;
import dev.parley.app.engine.EngineConfig;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command accepts (DESIGN.md §6), before or after the subcommand's name. {@code --no-mdns}
 * turns off LAN discovery in {@code parley chat}; the DHT and relays do not exist yet, so {@code --bootstrap} and
 * {@code --relay} are checked and kept, and change nothing so far.
 */
public final class CommonOptions {
    static final Multiaddr DEFAULT_LISTEN = Multiaddr.parse("/ip4/0.0.0.0/tcp/0");

    @Option(names = "--profile", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Profile directory (default: ${XDG_DATA_HOME:-~/.local/share}/parley).")
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

    /** The profile's identity, created on first use; {@code --name}, when given, becomes the display name. */
    Identity identity() throws IOException {
        Profile profile = profile();
        if (name != null) {
            Optional<String> problem = ContactCard.displayNameProblem(name);
            if (problem.isPresent()) {
                throw new IllegalArgumentException("--name: " + problem.get());
            }
        }
        Identity identity = profile.loadOrCreateIdentity(passphrasePrompt());
        if (name != null) {
            profile.setDisplayName(name);
        }
        return identity;
    }

    CommandLinePassphrase passphrasePrompt() {
        return new CommandLinePassphrase(passphraseFile, "--passphrase-file");
    }

    /** How the engine starts for this profile: its identity and display name, the listen addresses given. */
    EngineConfig engineConfig() throws IOException {
        Identity identity = identity();
        Profile profile = profile();
        return EngineConfig.of(profile.directory(), identity, profile.displayName(), listenAddresses());
    }

    List<Multiaddr> listenAddresses() {
        return listen.isEmpty() ? List.of(DEFAULT_LISTEN) : listen;
    }
}
