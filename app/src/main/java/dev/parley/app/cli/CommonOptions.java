package dev.parley.app.cli;

import dev.parley.app.Profile;
import dev.parley.transport.multiformats.Multiaddr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command accepts (DESIGN.md §6), before or after the subcommand's name. Discovery does not
 * exist yet, so {@code --bootstrap}, {@code --relay} and {@code --no-mdns} are checked and kept, and change
 * nothing so far.
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

    Profile profile() {
        return new Profile(profile != null ? profile : Profile.defaultDirectory());
    }

    List<Multiaddr> listenAddresses() {
        return listen.isEmpty() ? List.of(DEFAULT_LISTEN) : listen;
    }
}
