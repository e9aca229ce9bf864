package dev.parley.transport.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;

/**
 * Plain-socket probes that {@link NetworkLabTest} runs inside lab hosts to check the NAT routers, one line of output
 * each:
 * <ul>
 *   <li>{@code tell-observed PORT}: listens on PORT; tells everyone who connects the address it came from, as
 *       "{@code <ip> <port>}"; prints {@code ready} once listening.</li>
 *   <li>{@code ask HOST PORT LOCAL_PORT}: connects to HOST:PORT from LOCAL_PORT and prints
 *       "{@code observed <ip> <port>}", or "{@code failed <why>}".</li>
 *   <li>{@code punch LOCAL_PORT SERVER_IP SERVER_PORT}: listens on LOCAL_PORT as a libp2p node would (SO_REUSEADDR
 *       and SO_REUSEPORT, as on every socket it binds), connects from that port to a {@code tell-observed} server
 *       and keeps that connection open, as a node keeps its relay connection, and prints
 *       "{@code observed <ip> <port>}" (or "{@code failed <why>}" and ends). Then it reads
 *       "{@code PEER_IP PEER_PORT AT_MILLIS}" from standard input and at the wall-clock time AT_MILLIS dials
 *       PEER_IP:PEER_PORT from LOCAL_PORT, for TCP simultaneous open; prints "{@code connected}" or
 *       "{@code failed <why>}".</li>
 * </ul>
 */
public final class NatProbeMain {
    private static final int CONNECT_TIMEOUT_MS = 4_000;

    private NatProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "tell-observed" -> tellObserved(Integer.parseInt(args[1]), out);
            case "ask" -> out.println(ask(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3])));
            case "punch" -> punch(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), out);
            default -> throw new IllegalArgumentException("unknown probe " + args[0]);
        }
    }

    private static void tellObserved(int port, PrintWriter out) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            out.println("ready");
            while (true) {
                try (Socket client = server.accept()) {
                    InetSocketAddress from = (InetSocketAddress) client.getRemoteSocketAddress();
                    client.getOutputStream().write((from.getAddress().getHostAddress() + " " + from.getPort() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String ask(String host, int port, int localPort) {
        try (Socket socket = boundSocket(localPort)) {
            return askOver(socket, host, port);
        } catch (IOException e) {
            return "failed " + e;
        }
    }

    /** Connects {@code socket} to a {@code tell-observed} server and returns what it says, "observed ip port". */
    private static String askOver(Socket socket, String host, int port) throws IOException {
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        return "observed " + in.readLine();
    }

    private static void punch(int localPort, String serverIp, int serverPort, PrintWriter out) throws Exception {
        ServerSocket listener = listening(localPort);
        try (listener;
                Socket toServer = boundSocket(localPort)) {
            try {
                out.println(askOver(toServer, serverIp, serverPort));
            } catch (IOException e) {
                out.println("failed " + e);
                return;
            }
            String[] peer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    .readLine().split(" ");
            Thread.sleep(Math.max(0, Long.parseLong(peer[2]) - System.currentTimeMillis()));
            try (Socket socket = boundSocket(localPort)) {
                socket.connect(new InetSocketAddress(peer[0], Integer.parseInt(peer[1])), CONNECT_TIMEOUT_MS);
                out.println("connected");
            } catch (IOException e) {
                out.println("failed " + e);
            }
        }
    }

    private static ServerSocket listening(int localPort) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        listener.bind(new InetSocketAddress(localPort));
        return listener;
    }

    private static Socket boundSocket(int localPort) throws IOException {
        Socket socket = new Socket();
        socket.setReuseAddress(true);
        socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        socket.bind(new InetSocketAddress(localPort));
        return socket;
    }
}
