package dev.parley.app.ui;

import dev.parley.app.node.NodeOptions;
import dev.parley.app.profile.PassphrasePrompt;
import dev.parley.transport.multiformats.Multiaddr;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How {@code parley} starts the desktop app: the command line's common options (README.md, "Command line").
 *
 * @param name            {@code --name}: the display name to use from now on
 * @param listenAddresses {@code --listen}; empty means the port saved in the settings, on all interfaces
 * @param lanDiscovery    false with {@code --no-mdns}; the settings can turn it off too
 * @param network         {@code --bootstrap} and {@code --relay}: how far beyond the LAN the node looks
 * @param passphraseFile  {@code --passphrase-file}: where the passphrase comes from instead of the unlock dialog
 * @param onWindowReady   runs once the main window shows the conversation list (for start-up measurements)
 */
public record LaunchOptions(Path profileDirectory, Optional<String> name, List<Multiaddr> listenAddresses,
                            boolean lanDiscovery, NodeOptions network, Optional<PassphrasePrompt> passphraseFile,
                            Runnable onWindowReady) {
    public LaunchOptions {
        listenAddresses = List.copyOf(listenAddresses);
    }
}
