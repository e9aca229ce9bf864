package dev.parley.app.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.interop.JsPeer;
import dev.parley.transport.testing.LabHost;
import dev.parley.transport.testing.NetworkLab;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hosts on one lab LAN, each running {@code parley chat --json} with nothing but mDNS to find the others,
 * and a js-libp2p node with {@code @libp2p/mdns} on a fourth: everyone sees everyone, and the three chat.
 */
class LanChatLabTest {
    @TempDir
    Path profiles;

    @Test
    void threeHostsFindEachOtherByMdnsAloneAndChat() throws Exception {
        JsPeer.assumeNodeAvailable();
        try (NetworkLab lab = NetworkLab.create()) {
            List<LabHost> lan = lab.addLan(4);
            try (LabChat ada = LabChat.start(lab, lan.get(0), profiles.resolve("ada"), "Ada");
                    LabChat bo = LabChat.start(lab, lan.get(1), profiles.resolve("bo"), "Bo");
                    LabChat cy = LabChat.start(lab, lan.get(2), profiles.resolve("cy"), "Cy");
                    JsPeer js = JsPeer.start(List.of("--listen", "/ip4/0.0.0.0/tcp/0", "--mdns-interval", "1000"),
                            lab.launcherIn(lan.get(3)))) {
                List<LabChat> chats = List.of(ada, bo, cy);
                for (LabChat chat : chats) {
                    for (LabChat other : chats) {
                        if (other != chat) {
                            assertThat(chat.awaitNearby(other).path("addresses").toString())
                                    .contains(lan.get(chats.indexOf(other)).ip());
                        }
                    }
                    js.awaitEvent("peer:discovery",
                            event -> event.path("peerId").asText().equals(chat.peerId()), LabChat.WAIT);
                }

                // Ada adds both from the nearby list and writes; to them she is a stranger, so it is a request.
                ada.send("/accept " + bo.peerId());
                ada.send("/accept " + cy.peerId());
                ada.send("/msg Bo hello Bo, from Ada");
                ada.send("/msg Cy hello Cy, from Ada");
                for (LabChat friend : List.of(bo, cy)) {
                    friend.await("request", line -> line.path("peerId").asText().equals(ada.peerId())
                            && line.path("text").asText().equals("hello " + friend.name() + ", from Ada"));
                    friend.send("/accept " + ada.peerId());
                    friend.send("/msg Ada hi Ada, " + friend.name() + " here");
                    ada.await("message", line -> line.path("peerId").asText().equals(friend.peerId())
                            && line.path("name").asText().equals(friend.name())
                            && line.path("text").asText().equals("hi Ada, " + friend.name() + " here"));
                    ada.await("delivered", line -> line.path("peerId").asText().equals(friend.peerId()));
                    friend.await("delivered", line -> line.path("peerId").asText().equals(ada.peerId()));
                }

                // Bo and Cy, who only ever saw each other nearby, chat too.
                cy.send("/accept " + bo.peerId());
                cy.send("/msg Bo Cy says hello");
                bo.await("request", line -> line.path("peerId").asText().equals(cy.peerId())
                        && line.path("text").asText().equals("Cy says hello"));
                bo.send("/accept " + cy.peerId());
                bo.send("/msg Cy hello Cy");
                cy.await("message", line -> line.path("text").asText().equals("hello Cy")
                        && line.path("name").asText().equals("Bo"));

                for (LabChat chat : chats) {
                    assertThat(chat.events("error")).as("%s's errors", chat.name()).isEmpty();
                    assertThat(chat.quit()).as("%s quits at the end of input", chat.name()).isTrue();
                    assertThat(chat.process().exitValue()).isZero();
                }
            }
        }
    }
}
