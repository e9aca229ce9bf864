package dev.parley.app.cli;

import dev.parley.app.node.Node;
import dev.parley.app.node.NodeOptions;
import dev.parley.app.profile.ProfileLock;
import dev.parley.transport.keys.Ed25519PrivateKey;
import java.io.IOException;

/**
 * The node a diagnostic command ({@code ping}, {@code perf}) dials from: the profile's identity when
 * {@code --profile} is given, otherwise a throwaway key, so a quick check never creates or touches a profile.
 */
final class ClientNodes {
    private ClientNodes() {
    }

    /**
     * With {@code --profile}, the node goes online as the profile's PeerId: like any command that does, it holds the
     * profile's lock, so that it never runs beside another Parley on the same profile.
     *
     * @return the lock, or null (which try-with-resources skips) when a throwaway key is used
     */
    static ProfileLock lockIfProfileGiven(CommonOptions common) throws IOException {
        return common.profile != null ? common.lockProfile() : null;
    }

    static Node open(CommonOptions common) throws IOException {
        Ed25519PrivateKey identity = common.profile != null
                ? common.identityAsItIs().transportKey()
                : Ed25519PrivateKey.generate();
        return new Node(identity, NodeOptions.lanOnly());
    }
}
