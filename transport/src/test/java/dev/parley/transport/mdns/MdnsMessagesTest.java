package dev.parley.transport.mdns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.mdns.MdnsMessages.Asked;
import dev.parley.transport.mdns.MdnsMessages.Self;
import dev.parley.transport.mdns.MdnsMessages.Sighting;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MdnsMessagesTest {
    private static final long TTL = 120;
    private final Self self = new Self("parleyparleyparleyparleyparley01", newPeerId());
    private final PeerId other = newPeerId();
    private final DnsName otherInstance = MdnsMessages.SERVICE.prepend("jsjsjsjsjsjsjsjsjsjsjsjsjsjsjsjs");

    @Test
    void theAnnouncementCarriesWhatJsReads() throws Exception {
        Multiaddr lan = Multiaddr.parse("/ip4/10.200.0.1/tcp/4001");

        DnsMessage response = DnsCodec.decode(DnsCodec.encode(MdnsMessages.response(self, List.of(lan), TTL, false)));

        assertThat(response.isResponse()).isTrue();
        assertThat(response.answers()).containsExactly(
                DnsRecord.of(MdnsMessages.SERVICE, false, TTL, new RecordData.Ptr(self.instance())),
                DnsRecord.of(self.instance(), true, TTL,
                        RecordData.Txt.of("dnsaddr=/ip4/10.200.0.1/tcp/4001/p2p/" + self.peerId().toBase58())));
        assertThat(response.additionals()).containsExactly(
                DnsRecord.of(self.instance(), true, TTL, new RecordData.Srv(0, 0, 4001, self.hostName())),
                DnsRecord.of(self.hostName(), true, TTL,
                        new RecordData.A((Inet4Address) InetAddress.getByName("10.200.0.1"))));
        assertThat(MdnsMessages.read(response, false)).containsExactly(
                new Sighting.Announced(self.instance(), self.peerId(), List.of(lan), TTL));
    }

    @Test
    void addressesTooLongForATxtStringAreLeftOut() {
        Multiaddr longName = Multiaddr.parse("/dns4/" + "n".repeat(200) + ".example/tcp/1");
        Multiaddr lan = Multiaddr.parse("/ip4/10.200.0.1/tcp/1");

        DnsMessage response = MdnsMessages.response(self, List.of(longName, lan), TTL, false);

        assertThat(response.answers()).filteredOn(answer -> answer.type() == DnsType.TXT)
                .extracting(answer -> ((RecordData.Txt) answer.data()).texts())
                .containsExactly(List.of("dnsaddr=" + lan.withPeerId(self.peerId())));
    }

    @Test
    void nothingToAnnounceWithoutAddresses() {
        assertThat(MdnsMessages.response(self, List.of(), TTL, false).answers()).isEmpty();
        assertThat(MdnsMessages.response(self, List.of(), TTL, true).answers()).containsExactly(
                DnsRecord.of(MdnsMessages.SERVICES, false, TTL, new RecordData.Ptr(MdnsMessages.SERVICE)));
    }

    @Test
    void aGoodbyeIsThePtrAloneWithTtlZero() {
        DnsMessage goodbye = MdnsMessages.goodbye(self);

        assertThat(goodbye.answers()).containsExactly(
                DnsRecord.of(MdnsMessages.SERVICE, false, 0, new RecordData.Ptr(self.instance())));
        assertThat(goodbye.additionals()).isEmpty();
        assertThat(MdnsMessages.read(goodbye, false)).containsExactly(new Sighting.Departed(self.instance()));
    }

    @Test
    void loopbackAddressesCountOnlyFromThisHost() {
        DnsMessage jsStyle = jsResponse(otherInstance, TTL,
                "dnsaddr=/ip4/127.0.0.1/tcp/5000/p2p/" + other.toBase58(),
                "dnsaddr=/ip4/10.200.0.2/tcp/5000/p2p/" + other.toBase58());

        assertThat(MdnsMessages.read(jsStyle, false)).containsExactly(new Sighting.Announced(otherInstance, other,
                List.of(Multiaddr.parse("/ip4/10.200.0.2/tcp/5000")), TTL));
        assertThat(MdnsMessages.read(jsStyle, true)).containsExactly(new Sighting.Announced(otherInstance, other,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/5000"), Multiaddr.parse("/ip4/10.200.0.2/tcp/5000")), TTL));
    }

    @Test
    void unusableStringsAreSkippedAndTheRestKept() {
        DnsMessage response = jsResponse(otherInstance, TTL,
                "dnsaddr=/ip4/10.200.0.2/tcp/1",
                "dnsaddr=/nonsense/1",
                "DNSADDR=/ip4/10.200.0.2/tcp/2/p2p/" + other.toBase58(),
                "dnsaddr=/ip4/10.200.0.3/tcp/3/p2p/" + newPeerId().toBase58(),
                "other=/ip4/10.200.0.2/tcp/4/p2p/" + other.toBase58());

        assertThat(MdnsMessages.read(response, false)).containsExactly(new Sighting.Announced(otherInstance, other,
                List.of(Multiaddr.parse("/ip4/10.200.0.2/tcp/2")), TTL));
    }

    @Test
    void txtRecordsOfAnotherInstanceDoNotCount() {
        DnsMessage response = DnsMessage.response(List.of(
                DnsRecord.of(MdnsMessages.SERVICE, false, TTL, new RecordData.Ptr(otherInstance)),
                DnsRecord.of(self.instance(), true, TTL,
                        RecordData.Txt.of("dnsaddr=/ip4/10.200.0.2/tcp/1/p2p/" + other.toBase58()))), List.of());

        assertThat(MdnsMessages.read(response, false)).isEmpty();
    }

    @Test
    void txtInTheAdditionalSectionAsTheSpecPutsIt() {
        DnsMessage response = DnsMessage.response(
                List.of(DnsRecord.of(MdnsMessages.SERVICE, false, TTL, new RecordData.Ptr(otherInstance))),
                List.of(DnsRecord.of(otherInstance, true, 30,
                        RecordData.Txt.of("dnsaddr=/ip4/10.200.0.2/tcp/1/p2p/" + other.toBase58()))));

        assertThat(MdnsMessages.read(response, false)).containsExactly(new Sighting.Announced(otherInstance, other,
                List.of(Multiaddr.parse("/ip4/10.200.0.2/tcp/1")), 30));
    }

    @Test
    void aHugeTtlIsCappedAtSeventyFiveMinutes() {
        DnsMessage response = jsResponse(otherInstance, DnsRecord.MAX_TTL_SECONDS,
                "dnsaddr=/ip4/10.200.0.2/tcp/1/p2p/" + other.toBase58());

        assertThat(MdnsMessages.read(response, false)).singleElement()
                .extracting(sighting -> ((Sighting.Announced) sighting).ttlSeconds())
                .isEqualTo(MdnsMessages.MAX_TTL_SECONDS);
    }

    @Test
    void queriesAndFailedResponsesTellNothing() {
        DnsMessage response = jsResponse(otherInstance, TTL, "dnsaddr=/ip4/10.200.0.2/tcp/1/p2p/" + other.toBase58());
        DnsMessage asQuery = new DnsMessage(0, 0, List.of(), response.answers(), List.of(), List.of());
        DnsMessage withError = new DnsMessage(0, response.flags() | 3, List.of(), response.answers(), List.of(),
                List.of());

        assertThat(MdnsMessages.read(asQuery, false)).isEmpty();
        assertThat(MdnsMessages.read(withError, false)).isEmpty();
    }

    @Test
    void theQueryListsOurOwnPtrSoWeDoNotAnswerOurselves() {
        DnsMessage query = MdnsMessages.query(self, TTL);

        assertThat(query.questions()).containsExactly(DnsQuestion.of(MdnsMessages.SERVICE, DnsType.PTR));
        assertThat(MdnsMessages.asked(query, self, TTL)).isEqualTo(new Asked(false, false));
        assertThat(MdnsMessages.asked(query, new Self("someoneelse0000000000000000000000", other), TTL))
                .isEqualTo(new Asked(true, false));
    }

    @Test
    void aKnownAnswerWithLessThanHalfItsTtlLeftStillGetsAnAnswer() {
        DnsMessage query = DnsMessage.query(List.of(DnsQuestion.of(MdnsMessages.SERVICE, DnsType.PTR)),
                List.of(DnsRecord.of(MdnsMessages.SERVICE, false, TTL / 2 - 1, new RecordData.Ptr(self.instance()))));

        assertThat(MdnsMessages.asked(query, self, TTL).announcement()).isTrue();
    }

    @Test
    void whatEachQuestionAsksFor() {
        assertThat(askedBy(DnsQuestion.of(MdnsMessages.SERVICE, DnsType.PTR))).isEqualTo(new Asked(true, false));
        assertThat(askedBy(DnsQuestion.of(MdnsMessages.SERVICE, DnsType.ANY))).isEqualTo(new Asked(true, false));
        assertThat(askedBy(DnsQuestion.of(self.instance(), DnsType.TXT))).isEqualTo(new Asked(true, false));
        assertThat(askedBy(DnsQuestion.of(self.hostName(), DnsType.A))).isEqualTo(new Asked(true, false));
        assertThat(askedBy(DnsQuestion.of(MdnsMessages.SERVICES, DnsType.PTR))).isEqualTo(new Asked(false, true));
        assertThat(askedBy(DnsQuestion.of(otherInstance, DnsType.TXT))).isEqualTo(new Asked(false, false));
        assertThat(askedBy(DnsQuestion.of(MdnsMessages.SERVICE, DnsType.A))).isEqualTo(new Asked(false, false));
        assertThat(askedBy(new DnsQuestion(MdnsMessages.SERVICE, DnsType.PTR, 3, false)))
                .isEqualTo(new Asked(false, false));
    }

    @Test
    void eachInterfaceAnnouncesItsOwnAddressesAndLoopbackOnlyOnLoopback() throws Exception {
        List<Multiaddr> listen = List.of(
                Multiaddr.parse("/ip4/127.0.0.1/tcp/1"),
                Multiaddr.parse("/ip4/10.200.0.1/tcp/1"),
                Multiaddr.parse("/ip4/10.200.1.1/tcp/1"),
                Multiaddr.parse("/ip6/::1/tcp/1"),
                Multiaddr.parse("/dns4/localhost/tcp/1"));
        List<InetAddress> eth0 = List.of(InetAddress.getByName("10.200.0.1"));
        List<InetAddress> lo = List.of(InetAddress.getByName("127.0.0.1"));

        assertThat(MdnsMessages.addressesFor(listen, eth0, false))
                .containsExactly(Multiaddr.parse("/ip4/10.200.0.1/tcp/1"));
        assertThat(MdnsMessages.addressesFor(listen, lo, true))
                .containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"), Multiaddr.parse("/ip6/::1/tcp/1"));
    }

    private Asked askedBy(DnsQuestion question) {
        return MdnsMessages.asked(DnsMessage.query(List.of(question), List.of()), self, TTL);
    }

    /** A response shaped as js-libp2p sends it: the PTR, then one TXT record per string, all answers. */
    private static DnsMessage jsResponse(DnsName instance, long ttl, String... texts) {
        List<DnsRecord> answers = new ArrayList<>();
        answers.add(DnsRecord.of(MdnsMessages.SERVICE, false, ttl, new RecordData.Ptr(instance)));
        for (String text : texts) {
            answers.add(DnsRecord.of(instance, false, ttl, RecordData.Txt.of(text)));
        }
        return DnsMessage.response(answers, List.of());
    }

    static PeerId newPeerId() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }
}
