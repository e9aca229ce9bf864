package dev.parley.transport;

import com.google.protobuf.ByteString;
import dev.parley.transport.identify.IdentifyService;
import dev.parley.transport.identify.pb.IdentifyProtos.Identify;
import dev.parley.transport.keys.Ed25519PrivateKey;
import dev.parley.transport.multiformats.Multiaddr;
import dev.parley.transport.multiformats.PeerId;
import dev.parley.transport.multiformats.Varint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Strangers for attack tests and benchmarks: each a host with a fresh identity that connects to a target on
 * loopback, answers its identify with a few made-up loopback listen addresses, waits until the target has taken
 * that answer in, and leaves.
 */
public final class Strangers {
    /** What a stranger waits for on the target's side before it leaves: its answer taken in. */
    @FunctionalInterface
    public interface Identified {
        void await(PeerId stranger) throws IOException;
    }

    /** Called every so many strangers, e.g. to check an honest peer is still served. */
    @FunctionalInterface
    public interface Progress {
        void after(int strangers) throws IOException;
    }

    /** Listen addresses each stranger claims: loopback, so nothing is ever dialled beyond this machine. */
    static final int CLAIMED_ADDRESSES = 4;

    private Strangers() {
    }

    /**
     * Runs {@code count} strangers against {@code target}, {@code parallelism} at a time; calls {@code progress}
     * after every {@code every} of them. Returns their PeerIds, in no particular order.
     */
    public static List<PeerId> churn(Multiaddr target, int count, int parallelism, Identified identified,
                                     int every, Progress progress) throws Exception {
        List<PeerId> strangers = Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(parallelism);
        AtomicInteger done = new AtomicInteger();
        List<Future<?>> runs = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                slots.acquire();
                runs.add(threads.submit(() -> {
                    try {
                        strangers.add(visit(target, identified));
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
                int finished = done.incrementAndGet();
                if (finished % every == 0) {
                    progress.after(finished);
                }
            }
            for (Future<?> run : runs) {
                run.get();
            }
        }
        return List.copyOf(strangers);
    }

    /** One stranger's visit; returns its PeerId once its connection is closed. */
    public static PeerId visit(Multiaddr target, Identified identified) throws IOException {
        try (Host stranger = new Host(HostConfig.of(Ed25519PrivateKey.generate()))) {
            int port = 20_000 + Math.floorMod(stranger.peerId().hashCode(), 20_000);
            stranger.setHandler(IdentifyService.PROTOCOL_ID, stream -> {
                Identify.Builder answer = Identify.newBuilder().setProtocolVersion(IdentifyService.PROTOCOL_VERSION)
                        .setAgentVersion("stranger/1").addProtocols(IdentifyService.PROTOCOL_ID);
                for (int i = 0; i < CLAIMED_ADDRESSES; i++) {
                    answer.addListenAddrs(ByteString.copyFrom(
                            Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (port + i)).bytes()));
                }
                byte[] bytes = answer.build().toByteArray();
                Varint.write(bytes.length, stream.out());
                stream.out().write(bytes);
                stream.out().flush();
                stream.closeWrite();
            });
            Connection connection = stranger.dial(target);
            identified.await(stranger.peerId());
            connection.close();
            return stranger.peerId();
        }
    }
}
