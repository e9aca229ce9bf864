package dev.parley.transport.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.parley.transport.testing.LabHost.LabSwitch;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network of Linux network namespaces for tests that need hosts on a real (virtual) LAN, as transport/README.md ("Network lab")
 * describes: each LAN is a bridge in a switch namespace of its own, each host a namespace whose {@code eth0}
 * is a veth cable to a port of that bridge. Nothing is created in the host's own network namespace, so no
 * packet of a lab test reaches a real interface; LAN addresses are 10.200.&lt;lan&gt;.&lt;host&gt;/24.
 *
 * <p>A lab may also have an internet: one more switch, whose hosts ({@link #addPublicHosts}) have addresses
 * 203.0.113.1 upwards, and LANs behind NAT routers ({@link #addNatLan}). A router is a namespace with a cable to
 * its LAN's switch (10.200.&lt;lan&gt;.254, its hosts' default route) and one to the internet switch
 * (203.0.113.&lt;101 + lan&gt;); it masquerades what leaves for the internet and, like a home router, drops what
 * arrives from there unasked, without answering. Internet hosts have no route to 10.200.0.0/16.
 *
 * <p>Processes run inside a host with {@link #start} ({@code ip netns exec}); the lab ends them by PID on
 * {@link #close()}, with everything still running in its namespaces, and then deletes the namespaces (which
 * takes the bridges and cables with them). Namespace names carry the JVM's PID, {@code plab-<pid>-<lab>-…},
 * so parallel runs do not collide, and a new lab deletes those of runs that died without cleaning up.
 *
 * <p>Needs root and {@code ip} (iproute2): {@link #create()} skips the calling test with the reason when they
 * are missing, except under {@code CI=true}, where that is a failure because CI must run every test.
 */
public final class NetworkLab implements AutoCloseable {
    public static final String PREFIX = "plab-";
    /** The lab's address space (transport/README.md, "Network lab"). */
    public static final String SUBNET_PREFIX = "10.200.";
    public static final int MAX_LANS = 256;
    /** Hosts 1..253 of a /24; the last addresses stay free for routers that later labs add. */
    public static final int MAX_HOSTS_PER_LAN = 253;

    private static final Logger log = LoggerFactory.getLogger(NetworkLab.class);
    private static final AtomicInteger LABS = new AtomicInteger();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int LAN_PREFIX_LENGTH = 24;
    /** The lab's internet: TEST-NET-3, a documentation range no real network routes. */
    public static final String INTERNET_PREFIX = "203.0.113.";
    /** Internet addresses from here up belong to NAT routers; public hosts count from 1 below it. */
    private static final int FIRST_ROUTER_ADDRESS = 101;
    private static final int ROUTER_LAN_ADDRESS = 254;
    private static final String WAN = "wan0";
    private static final String LAN_SIDE = "lan0";

    private final Path ip;
    private final String name;
    private final List<String> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> directories = Collections.synchronizedList(new ArrayList<>());
    private final Thread shutdownHook = new Thread(this::close, "network-lab-teardown");
    private int lans;
    private int publicHosts;
    private LabSwitch internet;
    private StunServer stun;
    private volatile boolean closed;

    private NetworkLab(Path ip) {
        this.ip = ip;
        this.name = PREFIX + ProcessHandle.current().pid() + "-" + LABS.incrementAndGet();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Skips the calling test (fails it under {@code CI=true}) unless this runs as root with {@code ip} installed. */
    public static void assumeAvailable() throws IOException {
        requireRootAndIp();
    }

    /**
     * A new, empty lab. Skips the calling test (fails it under {@code CI=true}) unless this runs as root with
     * {@code ip} installed; deletes namespaces that labs of dead processes left behind.
     */
    public static NetworkLab create() throws IOException {
        Path ip = requireRootAndIp();
        NetworkLab lab = new NetworkLab(ip);
        lab.deleteLeftovers();
        return lab;
    }

    /**
     * Adds a LAN of {@code hosts} hosts, {@code 10.200.<n>.1} to {@code 10.200.<n>.<hosts>}, where n counts the
     * lab's LANs from 0. Each host has {@code lo} and {@code eth0} up and a route for multicast out of {@code eth0}
     * (224.0.0.0/4: js-libp2p's mDNS sends through the routing table), and no default route.
     */
    public List<LabHost> addLan(int hosts) throws IOException {
        return newLan(hosts).hosts();
    }

    private record Lan(int index, LabSwitch lanSwitch, List<LabHost> hosts) {
    }

    private Lan newLan(int hosts) throws IOException {
        if (hosts < 1 || hosts > MAX_HOSTS_PER_LAN) {
            throw new IllegalArgumentException("a lab LAN has 1 to " + MAX_HOSTS_PER_LAN + " hosts, not " + hosts);
        }
        if (lans == MAX_LANS) {
            throw new IllegalStateException("a lab has at most " + MAX_LANS + " LANs in 10.200.0.0/16");
        }
        int lan = lans++;
        LabSwitch lanSwitch = newSwitch("l" + lan + "-sw");
        List<LabHost> added = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            added.add(plugNewHost("lan" + lan + "-h" + i, "l" + lan + "-h" + i, lanSwitch, "port" + i,
                    InetAddress.getByName(SUBNET_PREFIX + lan + "." + i)));
        }
        return new Lan(lan, lanSwitch, List.copyOf(added));
    }

    /**
     * Adds {@code count} hosts to the lab's internet, 203.0.113.1 upwards in the order added; the first call
     * builds the internet switch.
     */
    public List<LabHost> addPublicHosts(int count) throws IOException {
        if (count < 1 || publicHosts + count >= FIRST_ROUTER_ADDRESS) {
            throw new IllegalArgumentException("the lab's internet has room for " + (FIRST_ROUTER_ADDRESS - 1)
                    + " hosts; " + publicHosts + " exist, " + count + " more asked for");
        }
        LabSwitch inet = internet();
        List<LabHost> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int number = ++publicHosts;
            added.add(plugNewHost("inet-h" + number, "i-h" + number, inet, "port" + number,
                    InetAddress.getByName(INTERNET_PREFIX + number)));
        }
        return List.copyOf(added);
    }

    /**
     * Adds a LAN of {@code hosts} hosts behind a NAT router of {@code type} on the lab's internet. The hosts are
     * as {@link #addLan} makes them, plus a default route through the router.
     */
    public NatLan addNatLan(int hosts, NatType type) throws IOException {
        if (lans + FIRST_ROUTER_ADDRESS > ROUTER_LAN_ADDRESS) {
            throw new IllegalStateException("the lab's internet has no address left for another router");
        }
        LabSwitch inet = internet();
        Lan lan = newLan(hosts);
        String router = addNamespace("l" + lan.index() + "-rt");
        String lanGateway = SUBNET_PREFIX + lan.index() + "." + ROUTER_LAN_ADDRESS;
        InetAddress publicAddress = InetAddress.getByName(INTERNET_PREFIX + (FIRST_ROUTER_ADDRESS + lan.index()));
        cable(lan.lanSwitch(), "router", router, LAN_SIDE, lanGateway + "/" + LAN_PREFIX_LENGTH);
        String uplink = "uplink" + lan.index();
        cable(inet, uplink, router, WAN, publicAddress.getHostAddress() + "/" + LAN_PREFIX_LENGTH);
        ip("-n", router, "link", "set", "lo", "up");
        run(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        List<String> masquerade = new ArrayList<>(List.of("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", WAN,
                "-j", "MASQUERADE"));
        if (type == NatType.SYMMETRIC) {
            masquerade.add("--random");
        }
        run(router, masquerade.toArray(String[]::new));
        // A home router neither answers nor forwards what arrives unasked: an RST to a stray SYN would defeat
        // TCP simultaneous open, and forwarding it would make the LAN public.
        for (String chain : List.of("INPUT", "FORWARD")) {
            run(router, "iptables", "-A", chain, "-i", WAN, "-m", "conntrack", "--ctstate", "NEW,INVALID",
                    "-j", "DROP");
        }
        for (LabHost host : lan.hosts()) {
            ip("-n", host.namespace(), "route", "add", "default", "via", lanGateway);
        }
        return new NatLan(router, type, publicAddress, uplink, lan.hosts());
    }

    /**
     * Makes the router of {@code lan} a port-mapping gateway, as many home routers are: miniupnpd answers UPnP-IGD
     * (SSDP on the LAN), PCP and NAT-PMP, and forwards the ports its clients ask for (only to the asking host, and
     * only ports 1024 and up). Forwarded connections pass the router's drop rule as DNAT. Returns once miniupnpd
     * listens.
     *
     * <p>miniupnpd refuses to map when its WAN address is in a reserved range, as the lab's documentation range
     * is, unless a STUN server tells it that address is its public one; so the lab runs a STUN server (stund, on a
     * public host with two addresses) and the router accepts its UDP answers.
     */
    public void enablePortMapping(NatLan lan) throws IOException {
        StunServer stun = stunServer();
        Path directory = Files.createTempDirectory(lan.router() + "-upnp");
        directories.add(directory);
        Path rules = directory.resolve("miniupnpd.nft");
        Files.writeString(rules, """
                table inet parley_upnp {
                    chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }
                    chain miniupnpd { }
                    chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
                    chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
                    chain prerouting_miniupnpd { }
                    chain postrouting_miniupnpd { }
                }
                """);
        run(lan.router(), "nft", "-f", rules.toString());
        run(lan.router(), "iptables", "-I", "FORWARD", "1", "-i", WAN, "-m", "conntrack", "--ctstate", "DNAT",
                "-j", "ACCEPT");
        // The router's own packets keep their ports, even behind --random: miniupnpd checks with STUN that its
        // ports come through unchanged
        run(lan.router(), "iptables", "-t", "nat", "-I", "POSTROUTING", "1", "-o", WAN, "-s", lan.publicIp(),
                "-j", "RETURN");
        for (String server : List.of(stun.primary(), stun.alternate())) {
            run(lan.router(), "iptables", "-I", "INPUT", "1", "-i", WAN, "-p", "udp", "-s", server, "-j", "ACCEPT");
        }
        Path config = directory.resolve("miniupnpd.conf");
        Files.writeString(config, String.join("\n",
                "ext_ifname=" + WAN,
                "listening_ip=" + LAN_SIDE,
                "enable_upnp=yes",
                "enable_natpmp=yes",
                "secure_mode=yes",
                "system_uptime=yes",
                "uuid=3f6c1a52-8e0b-4d7e-9a61-2b8c5d0e7f14",
                "ext_perform_stun=yes",
                "ext_stun_host=" + stun.primary(),
                "ext_stun_port=3478",
                "upnp_table_name=parley_upnp",
                "upnp_nat_table_name=parley_upnp",
                "lease_file=" + directory.resolve("leases"),
                "allow 1024-65535 " + SUBNET_PREFIX + "0.0/16 1024-65535",
                "deny 0-65535 0.0.0.0/0 0-65535",
                ""));
        Path output = directory.resolve("miniupnpd.log");
        ProcessBuilder daemon = new ProcessBuilder("miniupnpd", "-d", "-f", config.toString(),
                "-P", directory.resolve("miniupnpd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Process process = start(lan.router(), daemon);
        awaitLine(process, output, "Listening for NAT-PMP/PCP traffic", Duration.ofSeconds(15));
        String log = Files.readString(output);
        if (!log.contains("Port forwarding is now enabled")) {
            throw new IOException("miniupnpd on " + lan.router() + " did not enable port forwarding:\n" + log);
        }
    }

    /** The lab's STUN server: a public host with a second address, running stund on both. */
    private record StunServer(String primary, String alternate) {
    }

    private StunServer stunServer() throws IOException {
        if (stun == null) {
            LabHost server = addPublicHosts(1).get(0);
            String alternate = INTERNET_PREFIX + (++publicHosts);
            ip("-n", server.namespace(), "addr", "add", alternate + "/" + LAN_PREFIX_LENGTH, "dev", LabHost.INTERFACE);
            String primary = server.address().getHostAddress();
            start(server, new ProcessBuilder("stund", "-h", primary, "-a", alternate)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
            stun = new StunServer(primary, alternate);
        }
        return stun;
    }

    /** Waits for {@code line} in the file {@code process} writes to; fails with the file's text if it ends first. */
    private static void awaitLine(Process process, Path output, String line, Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(output) && Files.readString(output).contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for '" + line + "'", e);
            }
        }
        throw new IOException("'" + line + "' not written within " + limit + (process.isAlive() ? "" : " (exited "
                + process.exitValue() + ")") + ":\n" + (Files.exists(output) ? Files.readString(output) : ""));
    }

    /** Pulls the router's internet cable: its LAN loses the internet, connections and NAT mappings stay. */
    public void cutUplink(NatLan lan) throws IOException {
        ip("-n", internet.namespace(), "link", "set", lan.uplinkPort(), "down");
    }

    /** Plugs the router's internet cable back in. */
    public void restoreUplink(NatLan lan) throws IOException {
        ip("-n", internet.namespace(), "link", "set", lan.uplinkPort(), "up");
    }

    /** Runs {@code command} in the router of {@code lan}, e.g. to read its NAT table. */
    public String runOnRouter(NatLan lan, String... command) throws IOException {
        return run(lan.router(), command);
    }

    private LabSwitch internet() throws IOException {
        if (internet == null) {
            internet = newSwitch("inet-sw");
        }
        return internet;
    }

    private LabSwitch newSwitch(String suffix) throws IOException {
        LabSwitch created = new LabSwitch(addNamespace(suffix), "br0");
        ip("-n", created.namespace(), "link", "add", created.bridge(), "type", "bridge");
        ip("-n", created.namespace(), "link", "set", created.bridge(), "up");
        return created;
    }

    /**
     * A new host namespace whose {@code eth0} is cabled to {@code lanSwitch} with {@code address}/24, with
     * {@code lo} up and a multicast route out of {@code eth0} (js-libp2p's mDNS sends through the routing table).
     */
    private LabHost plugNewHost(String hostName, String suffix, LabSwitch lanSwitch, String port, InetAddress address)
            throws IOException {
        String namespace = addNamespace(suffix);
        cable(lanSwitch, port, namespace, LabHost.INTERFACE, address.getHostAddress() + "/" + LAN_PREFIX_LENGTH);
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "route", "add", "224.0.0.0/4", "dev", LabHost.INTERFACE);
        return new LabHost(hostName, namespace, lanSwitch, port, address, LAN_PREFIX_LENGTH);
    }

    /** A veth cable from a port of {@code lanSwitch} to {@code device} in {@code namespace}, which gets {@code cidr}. */
    private void cable(LabSwitch lanSwitch, String port, String namespace, String device, String cidr)
            throws IOException {
        ip("-n", lanSwitch.namespace(), "link", "add", port, "type", "veth", "peer", "name", device, "netns", namespace);
        ip("-n", lanSwitch.namespace(), "link", "set", port, "master", lanSwitch.bridge());
        ip("-n", lanSwitch.namespace(), "link", "set", port, "up");
        ip("-n", namespace, "addr", "add", cidr, "dev", device);
        ip("-n", namespace, "link", "set", device, "up");
    }

    /**
     * Starts {@code command} inside {@code host} (its directory, environment and redirects as set on it) and
     * keeps the process, which {@link #close()} ends. {@code ip netns exec} execs the command, so the process
     * is the command itself.
     */
    public Process start(LabHost host, ProcessBuilder command) throws IOException {
        return start(host.namespace(), command);
    }

    private Process start(String namespace, ProcessBuilder command) throws IOException {
        checkOpen();
        List<String> inNamespace = new ArrayList<>(List.of(ip.toString(), "netns", "exec", namespace));
        inNamespace.addAll(command.command());
        Process process = command.command(inNamespace).start();
        processes.add(process);
        return process;
    }

    /** Starts processes inside {@code host}, for harnesses that take a {@link ProcessLauncher}. */
    public ProcessLauncher launcherIn(LabHost host) {
        return command -> start(host, command);
    }

    /** Runs {@code command} inside {@code host} to its end and returns its standard output. */
    public String run(LabHost host, String... command) throws IOException {
        return run(host.namespace(), command);
    }

    private String run(String namespace, String... command) throws IOException {
        checkOpen();
        List<String> inNamespace = new ArrayList<>(List.of("netns", "exec", namespace));
        inNamespace.addAll(List.of(command));
        return ip(inNamespace.toArray(String[]::new));
    }

    /** Pulls the host's cable at the switch: its {@code eth0} loses carrier but keeps its address. */
    public void unplug(LabHost host) throws IOException {
        ip("-n", host.lanSwitch().namespace(), "link", "set", host.switchPort(), "down");
    }

    /** Plugs the host's cable back in. */
    public void plug(LabHost host) throws IOException {
        ip("-n", host.lanSwitch().namespace(), "link", "set", host.switchPort(), "up");
    }

    /** Ends the lab's processes, then deletes its namespaces, bridges and cables. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Process> started;
        synchronized (processes) {
            started = List.copyOf(processes);
        }
        started.forEach(Process::destroy);
        for (Process process : started) {
            stop(process.toHandle());
        }
        List<String> created;
        synchronized (namespaces) {
            created = new ArrayList<>(namespaces);
        }
        Collections.reverse(created);
        created.forEach(this::deleteNamespace);
        directories.forEach(NetworkLab::deleteTree);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            log.debug("lab {} torn down while the JVM shuts down", name);
        }
    }

    @Override
    public String toString() {
        return "network lab " + name;
    }

    private String addNamespace(String suffix) throws IOException {
        checkOpen();
        String namespace = name + "-" + suffix;
        ip("netns", "add", namespace);
        namespaces.add(namespace);
        return namespace;
    }

    /** Ends whatever still runs in the namespace (only the lab starts processes there), then deletes it. */
    private void deleteNamespace(String namespace) {
        try {
            for (String pid : ip("netns", "pids", namespace).lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
                    process.destroyForcibly();
                    stop(process);
                });
            }
            ip("netns", "del", namespace);
        } catch (IOException | RuntimeException e) {
            log.warn("could not delete network namespace {}: {}", namespace, e.getMessage());
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", directory, e.getMessage());
        }
    }

    /** Deletes the namespaces of labs whose JVM is gone. */
    private void deleteLeftovers() throws IOException {
        for (String line : ip("netns", "list").lines().toList()) {
            String namespace = line.split(" ", 2)[0];
            if (!namespace.startsWith(PREFIX)) {
                continue;
            }
            String owner = namespace.substring(PREFIX.length()).split("-", 2)[0];
            boolean ownerAlive = owner.chars().allMatch(Character::isDigit) && !owner.isEmpty()
                    && ProcessHandle.of(Long.parseLong(owner)).isPresent();
            if (!ownerAlive) {
                log.info("deleting network namespace {} left by a lab of a process that is gone", namespace);
                deleteNamespace(namespace);
            }
        }
    }

    private static void stop(ProcessHandle process) {
        CompletableFuture<ProcessHandle> exited = process.onExit();
        try {
            exited.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notYet) {
            process.destroyForcibly();
            try {
                exited.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("process {} did not end after SIGKILL", process.pid());
            }
        }
    }

    private String ip(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ip.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process),
                    task -> Thread.ofVirtual().start(task));
            String text = output.get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            process.waitFor();
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                        + ": " + text.strip());
            }
            return text;
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT, e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    private static Path requireRootAndIp() throws IOException {
        Optional<Path> ip = findIp();
        String missing;
        if (!isRoot()) {
            missing = "they must run as root (uid 0) to create network namespaces";
        } else if (ip.isEmpty()) {
            missing = "the ip command (iproute2) is not on PATH, /usr/sbin or /sbin";
        } else {
            return ip.get();
        }
        String reason = "network lab tests need root and iproute2: " + missing;
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true, so this is a failure: " + reason);
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable: Assumptions.abort returned");
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static Optional<Path> findIp() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/sbin"))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, "ip"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
