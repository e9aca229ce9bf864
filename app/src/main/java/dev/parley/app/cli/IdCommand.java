package dev.parley.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.app.profile.Profile;
import dev.parley.app.profile.ProfileLock;
import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.InviteCode;
import dev.parley.transport.multiformats.Multiaddr;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley id}: the profile's PeerId and an invite code to hand to a friend. The code carries the signed
 * contact card and the addresses a node of this profile last listened on; with none yet, peers can still find
 * it on the LAN or by PeerId.
 */
@Command(name = "id", description = "Print this profile's PeerId and invite code (creates the profile on first use).")
final class IdCommand implements Callable<Integer> {
    @ParentCommand
    ParleyCommand parent;

    @Option(names = "--json", description = "One JSON object: peerId, name, addresses, invite.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CommonOptions common = parent.common;
        Identity identity;
        // Reads only, so it runs alongside Parley, unless it creates the profile or --name saves a name.
        ProfileLock lock = common.lockProfileIfWriting();
        try (lock) {
            identity = common.identity();
        }
        Profile profile = common.profile();
        List<Multiaddr> addresses = profile.lastAddresses().stream().map(Multiaddr::withoutPeerId).toList();
        ContactCard card = ContactCard.create(identity, profile.displayName());
        String invite = InviteCode.create(card, addresses).toText();
        PrintWriter out = parent.spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode result = mapper.createObjectNode()
                    .put("peerId", identity.peerId().toBase58())
                    .put("name", card.displayName())
                    .put("invite", invite);
            ArrayNode addressList = result.putArray("addresses");
            addresses.forEach(address -> addressList.add(address.toString()));
            out.println(mapper.writeValueAsString(result));
        } else {
            out.println("PeerId: " + identity.peerId().toBase58());
            out.println("Name:   " + card.displayName());
            out.println("Invite: " + invite);
            if (addresses.isEmpty()) {
                out.println("(no addresses in the invite yet: run `parley node` once so it knows where it listens)");
            }
        }
        return 0;
    }
}
