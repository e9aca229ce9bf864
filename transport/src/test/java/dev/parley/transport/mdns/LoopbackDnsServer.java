package dev.parley.transport.mdns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny authoritative DNS server on 127.0.0.1 for tests: it answers TXT questions over UDP from a zone the test
 * fills, NXDOMAIN for names not in it, and can be told to stay silent. It speaks through this package's
 * {@link DnsCodec}, which is why it lives here; it is public for the tests of other packages and modules. Nothing
 * it does leaves loopback.
 */
public final class LoopbackDnsServer implements AutoCloseable {
    public static final int NO_ERROR = 0;
    public static final int SERVER_FAILURE = 2;
    public static final int NAME_ERROR = 3;
    private static final int FLAG_RECURSION_DESIRED = 0x0100;
    private static final int TTL_SECONDS = 60;

    private final DatagramSocket socket;
    private final boolean silent;
    private final Map<DnsName, List<RecordData.Txt>> zone = new ConcurrentHashMap<>();
    private final Map<DnsName, Integer> failures = new ConcurrentHashMap<>();
    private final List<String> questions = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private LoopbackDnsServer(boolean silent) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.silent = silent;
        this.thread = Thread.ofPlatform().daemon().name("loopback-dns " + socket.getLocalPort()).start(this::serve);
    }

    /** A server that answers from its zone, empty until the test adds names. */
    public static LoopbackDnsServer start() throws IOException {
        return new LoopbackDnsServer(false);
    }

    /** A server that takes every query and never answers. */
    public static LoopbackDnsServer silent() throws IOException {
        return new LoopbackDnsServer(true);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Adds one TXT record of {@code name} made of these character-strings. */
    public LoopbackDnsServer addTxt(String name, String... strings) {
        zone.computeIfAbsent(DnsName.parse(name), n -> new CopyOnWriteArrayList<>()).add(RecordData.Txt.of(strings));
        return this;
    }

    /** Adds a TXT record {@code dnsaddr=<multiaddr>} of {@code _dnsaddr.<domain>} for each multiaddr. */
    public LoopbackDnsServer addDnsaddr(String domain, String... multiaddrs) {
        for (String multiaddr : multiaddrs) {
            addTxt("_dnsaddr." + domain, "dnsaddr=" + multiaddr);
        }
        return this;
    }

    /** Makes {@code name} exist without TXT records: questions about it get an empty answer. */
    public LoopbackDnsServer addEmptyName(String name) {
        zone.computeIfAbsent(DnsName.parse(name), n -> new CopyOnWriteArrayList<>());
        return this;
    }

    /** Answers questions about {@code name} with this response code, e.g. {@link #SERVER_FAILURE}. */
    public LoopbackDnsServer failWith(String name, int responseCode) {
        failures.put(DnsName.parse(name), responseCode);
        return this;
    }

    /** The names asked about so far, in order, as the askers spelled them. */
    public List<String> questions() {
        return List.copyOf(questions);
    }

    private void serve() {
        byte[] buffer = new byte[DnsCodec.MAX_PACKET_BYTES];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                DnsMessage query = DnsCodec.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
                query.questions().forEach(question -> questions.add(question.name().toString()));
                if (!silent && !query.isResponse() && query.questions().size() == 1) {
                    byte[] answer = DnsCodec.encode(answer(query));
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("loopback DNS server: " + e.getMessage());
                }
            }
        }
    }

    private DnsMessage answer(DnsMessage query) {
        DnsQuestion question = query.questions().getFirst();
        DnsName name = question.name();
        List<RecordData.Txt> records = zone.get(name);
        int responseCode = failures.getOrDefault(name, records == null ? NAME_ERROR : NO_ERROR);
        List<DnsRecord> answers = new ArrayList<>();
        if (responseCode == NO_ERROR && records != null && question.type() == DnsType.TXT) {
            records.forEach(txt -> answers.add(DnsRecord.of(name, false, TTL_SECONDS, txt)));
        }
        int flags = DnsMessage.FLAG_RESPONSE | DnsMessage.FLAG_AUTHORITATIVE
                | (query.flags() & FLAG_RECURSION_DESIRED) | responseCode;
        DnsQuestion echoed = new DnsQuestion(name, question.type(), question.questionClass(), false);
        return new DnsMessage(query.id(), flags, List.of(echoed), answers, List.of(), List.of());
    }

    /** Stops answering; returns once the server's thread has ended, or at an interrupt, which stays set. */
    @Override
    public void close() {
        socket.close();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
