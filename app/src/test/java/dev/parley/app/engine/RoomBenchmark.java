package dev.parley.app.engine;

import com.sun.management.OperatingSystemMXBean;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.EngineException;
import dev.parley.app.engine.api.RoomInfo;
import dev.parley.app.engine.api.RoomMessage;
import dev.parley.app.engine.api.RoomStatus;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.store.StoreStats;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Group rooms of engines in this JVM on loopback, each with its durable SQLite store in a temporary folder. The
 * admin befriends and invites every other member, who are not each other's contacts: they reach each other through
 * the room.
 *
 * <ol>
 *   <li>latency in a large room: one member at a time (each in turn) says a message, from calling
 *   {@code sayInRoom} until every other member has reported it;</li>
 *   <li>a membership change in that room: the admin removes a member; how long until every remaining member is in
 *   the new epoch, and until each has read a message from every other one sealed with the new keys;</li>
 *   <li>catch-up: in a room of three, one member is offline while another writes a long run of messages; the
 *   writer goes offline and the absent member restarts and syncs them all from the third, who did not write
 *   them.</li>
 * </ol>
 *
 * Arguments: {@code [members (50)] [messages (50)] [catch-up messages (10000)] [phase (all)]}, the phase
 * {@code all}, {@code large} (the first two) or {@code catch-up} (the third alone, without the large room's minutes of
 * set-up). Prints figures, the process's CPU time a message among them (all engines are in this JVM); asserts nothing.
 */
public final class RoomBenchmark {
    /** Every join rotates the keys of the members who joined before: a large room is slow to set up. */
    private static final Duration SETUP = Duration.ofMinutes(10);
    /** How long a measurement may go without any progress before the benchmark gives up. */
    private static final Duration STALL = Duration.ofMinutes(2);

    /** An engine and when each member's room message reached it. */
    private record Member(TestEngine node, Arrivals arrivals) {
        static Member start(Path folder, String name) throws Exception {
            TestEngine node = TestEngine.start(folder, name);
            Arrivals arrivals = new Arrivals();
            node.engine.subscribe(arrivals);
            return new Member(node, arrivals);
        }

        Engine engine() {
            return node.engine;
        }

        String name() {
            return node.name;
        }

        RoomInfo room(RoomId room) {
            return engine().rooms().get(room)
                    .orElseThrow(() -> new IllegalStateException(name() + " has no room " + room));
        }
    }

    /** When each member's message (not a notice) arrived at one engine, by id; the first report counts. */
    private static final class Arrivals implements Consumer<EngineEvent> {
        private final Map<MessageId, Long> nanos = new ConcurrentHashMap<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();

        @Override
        public void accept(EngineEvent event) {
            long now = System.nanoTime();
            if (!(event instanceof EngineEvent.RoomMessageReceived(RoomMessage message)) || message.notice()) {
                return;
            }
            nanos.putIfAbsent(message.id(), now);
            lock.lock();
            try {
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        int count() {
            return nanos.size();
        }

        /** Waits until the message has arrived; returns when it did. */
        long await(MessageId id, String who) throws InterruptedException {
            awaitCount(() -> nanos.containsKey(id) ? 1 : 0, 1, () -> who + " did not receive " + id);
            return nanos.get(id);
        }

        /** Waits until {@code count} messages have arrived, as long as more keep arriving. */
        void awaitCount(int count, String who) throws InterruptedException {
            awaitCount(nanos::size, count, () -> who + " received " + nanos.size() + " of " + count + " messages");
        }

        private void awaitCount(IntSupplier arrivedSoFar, int count, Supplier<String> failure)
                throws InterruptedException {
            lock.lock();
            try {
                int seen = arrivedSoFar.getAsInt();
                long deadline = System.nanoTime() + STALL.toNanos();
                while (arrivedSoFar.getAsInt() < count) {
                    if (arrivedSoFar.getAsInt() > seen) {
                        seen = arrivedSoFar.getAsInt();
                        deadline = System.nanoTime() + STALL.toNanos();
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IllegalStateException(failure.get() + ", none more for " + STALL.toSeconds() + " s");
                    }
                    arrived.await(left, TimeUnit.NANOSECONDS);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Which measurements to run. */
    private enum Phase {
        ALL, LARGE, CATCH_UP;

        static Phase named(String name) {
            return switch (name) {
                case "all" -> ALL;
                case "large" -> LARGE;
                case "catch-up" -> CATCH_UP;
                default -> throw new IllegalArgumentException("no phase " + name + ": all, large or catch-up");
            };
        }
    }

    private RoomBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int missed = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Phase phase = args.length > 3 ? Phase.named(args[3]) : Phase.ALL;
        System.out.printf("RoomBenchmark: %d cores, Java %s, max heap %d MiB%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20);
        Path folder = Files.createTempDirectory("parley-room-benchmark");
        try {
            if (phase != Phase.CATCH_UP) {
                largeRoom(folder.resolve("large"), size, messages);
            }
            if (phase != Phase.LARGE) {
                catchUp(folder.resolve("catch-up"), missed);
            }
        } finally {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void largeRoom(Path folder, int size, int messages) throws Exception {
        List<Member> members = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < size; i++) {
                members.add(Member.start(folder, "Member" + i));
            }
            RoomId room = roomOf(members);
            System.out.printf("a room of %d members (the admin's contacts, not each other's) set up in %.1f s%n",
                    size, (System.nanoTime() - start) / 1e9);
            everyoneSaysOne(room, members, "warm-up");
            latency(room, members, messages);
            membershipChange(room, members);
        } finally {
            members.forEach(member -> member.node().close());
        }
    }

    /**
     * The first member creates a room and invites the others, its contacts; all accept. Returns once every member
     * sees all of them.
     */
    private static RoomId roomOf(List<Member> members) throws Exception {
        Member admin = members.getFirst();
        List<Member> others = members.subList(1, members.size());
        RoomId room = admin.engine().rooms().create("Benchmark room").id();
        for (Member other : others) {
            TestEngine.befriend(admin.node(), other.node());
            admin.engine().rooms().invite(room, other.node().peerId());
        }
        for (Member other : others) {
            awaitPolling(() -> other.engine().rooms().get(room).filter(info -> info.status() == RoomStatus.INVITED)
                    .isPresent(), SETUP, () -> other.name() + " got no invitation");
            other.engine().rooms().accept(room);
        }
        for (Member member : members) {
            awaitPolling(() -> member.room(room).members().size() == members.size(), SETUP,
                    () -> member.name() + " sees " + member.room(room).members().size() + " of " + members.size()
                            + " members");
        }
        return room;
    }

    /**
     * Every member says one message at the same time; returns when every other member has read each. Shows that
     * every member holds every other member's key of the current epoch.
     */
    private static long everyoneSaysOne(RoomId room, List<Member> members, String what) throws Exception {
        long start = System.nanoTime();
        List<Future<MessageId>> said = new ArrayList<>();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Member writer : members) {
                said.add(writers.submit(() -> say(room, writer, what)));
            }
        }
        long last = start;
        for (Member reader : members) {
            for (int writer = 0; writer < members.size(); writer++) {
                if (members.get(writer) != reader) {
                    last = Math.max(last, reader.arrivals().await(said.get(writer).get(), reader.name()));
                }
            }
        }
        return last;
    }

    private static MessageId say(RoomId room, Member writer, String what) {
        try {
            return writer.engine().rooms().say(room, what + " from " + writer.name()
                    + ", with about the length of a chat line");
        } catch (EngineException e) {
            throw new IllegalStateException(writer.name() + " could not say a message: " + e.getMessage(), e);
        }
    }

    private static void latency(RoomId room, List<Member> members, int messages) throws Exception {
        long[] nanos = new long[messages];
        long cpuBefore = processCpuNanos();
        for (int i = 0; i < messages; i++) {
            Member writer = members.get(i % members.size());
            long start = System.nanoTime();
            MessageId id = say(room, writer, "latency message " + i);
            long last = start;
            for (Member reader : members) {
                if (reader != writer) {
                    last = Math.max(last, reader.arrivals().await(id, reader.name()));
                }
            }
            nanos[i] = last - start;
        }
        long cpu = processCpuNanos() - cpuBefore;
        System.out.printf("message in a %d-member room: %d messages one at a time, each member writing in turn"
                + " (after one from every member to warm up)%n", members.size(), messages);
        System.out.printf("  sayInRoom -> RoomMessageReceived at all %d others: p50 %.1f ms, p99 %.1f ms,"
                + " max %.1f ms%n", members.size() - 1, percentile(nanos, 50), percentile(nanos, 99),
                percentile(nanos, 100));
        System.out.printf("  process CPU for all %d engines: %.0f µs a message (%.0f µs a reception)%n",
                members.size(), cpu / 1e3 / messages, cpu / 1e3 / messages / (members.size() - 1));
    }

    /**
     * The admin removes the last member; the rest move to a new epoch, each with a new key. The members' epochs are
     * polled while the admin's call runs, as they may get there before it returns.
     */
    private static void membershipChange(RoomId room, List<Member> members) throws Exception {
        Member admin = members.getFirst();
        Member removed = members.getLast();
        List<Member> remaining = members.subList(0, members.size() - 1);
        long epoch = admin.room(room).epoch() + 1;
        long[] inEpoch = new long[remaining.size()];
        long removal;

        long start = System.nanoTime();
        try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Long> removing = background.submit(() -> {
                admin.engine().rooms().remove(room, removed.node().peerId());
                return System.nanoTime() - start;
            });
            List<Member> behind = new ArrayList<>(remaining);
            int reached = 0;
            while (!behind.isEmpty()) {
                long polled = System.nanoTime();
                for (Iterator<Member> member = behind.iterator(); member.hasNext(); ) {
                    if (member.next().room(room).epoch() >= epoch) {
                        member.remove();
                        inEpoch[reached++] = polled - start;
                    }
                }
                if (polled - start > STALL.toNanos()) {
                    throw new IllegalStateException(behind.size() + " members are not in epoch " + epoch + " after "
                            + STALL.toSeconds() + " s, e.g. " + behind.getFirst().name());
                }
                Thread.sleep(Duration.ofMillis(5));
            }
            removal = removing.get();
        }
        int before = removed.arrivals().count();
        long allRead = everyoneSaysOne(room, remaining, "first in epoch " + epoch);

        System.out.printf("membership change with key rotation in a %d-member room: the admin removes one member"
                + " (epoch %d)%n", members.size(), epoch);
        System.out.printf("  removeFromRoom -> all %d remaining members in the new epoch: %.1f ms (half of them after"
                + " %.1f ms; the call itself returned after %.1f ms)%n", remaining.size(), percentile(inEpoch, 100),
                percentile(inEpoch, 50), removal / 1e6);
        System.out.printf("  removeFromRoom -> then each says a message, and all have read all %d of them"
                + " (%d receptions): %.1f ms%n", remaining.size(), remaining.size() * (remaining.size() - 1),
                (allRead - start) / 1e6);
        System.out.printf("  the removed member received %d of those messages%n", removed.arrivals().count() - before);
    }

    private static void catchUp(Path folder, int messages) throws Exception {
        Member a = Member.start(folder, "A");
        Member b = Member.start(folder, "B");
        Member c = Member.start(folder, "C");
        List<TestEngine> open = new ArrayList<>(List.of(a.node(), b.node(), c.node()));
        try {
            RoomId room = roomOf(List.of(a, b, c));
            // C must hold A's key before it goes: only a key's owner hands it out, and A will be offline.
            MessageId hello = say(room, a, "hello");
            b.arrivals().await(hello, b.name());
            c.arrivals().await(hello, c.name());
            c.node().close();

            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                say(room, a, "missed message " + i);
            }
            long said = System.nanoTime();
            b.arrivals().awaitCount(1 + messages, b.name());
            long atB = System.nanoTime();
            a.node().close();

            long restart = System.nanoTime();
            long cpuBefore = processCpuNanos();
            TestEngine cAgain = c.node().restart();
            open.add(cAgain);
            awaitPolling(() -> received(cAgain, room) > 0, STALL, () -> "C caught up nothing");
            long first = System.nanoTime();
            awaitPolling(() -> received(cAgain, room) >= messages, STALL,
                    () -> "C caught up " + received(cAgain, room) + " of " + messages + " messages");
            long caughtUp = System.nanoTime();
            long cpu = processCpuNanos() - cpuBefore;

            System.out.printf("catch-up of %d missed room messages through sync: A writes them while C is offline,"
                    + " then A goes offline and C restarts, syncing from B%n", messages);
            System.out.printf("  A said them in %.2f s (%.0f messages/s); B had them all after %.2f s%n",
                    (said - start) / 1e9, messages / ((said - start) / 1e9), (atB - start) / 1e9);
            double seconds = (caughtUp - restart) / 1e9;
            System.out.printf("  C's restart -> all %d received: %.0f ms (%.0f messages/s)%n", messages,
                    seconds * 1e3, messages / seconds);
            System.out.printf("  of which restart -> the first received: %.0f ms; first -> all: %.0f ms (%.0f messages/s)%n",
                    (first - restart) / 1e6, (caughtUp - first) / 1e6, messages / ((caughtUp - first) / 1e9));
            StoreStats stored = cAgain.engine.store().stats();
            System.out.printf("  C's store since its restart: %d writes in %d commits, largest batch %d%n",
                    stored.writes(), stored.commits(), stored.largestBatch());
            System.out.printf("  process CPU from C's restart (B answering, C starting and taking): %.0f µs a message%n",
                    cpu / 1e3 / messages);
        } finally {
            open.forEach(TestEngine::close);
        }
    }

    /** The members' messages a restarted engine has reported; its event log has listened since it started. */
    private static long received(TestEngine node, RoomId room) {
        return node.events.all(EngineEvent.RoomMessageReceived.class).stream()
                .filter(event -> event.message().room().equals(room) && !event.message().notice()).count();
    }

    private static void awaitPolling(BooleanSupplier condition, Duration within, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what.get() + " after " + within.toSeconds() + " s");
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The given percentile of durations in nanoseconds, in milliseconds; 100 is the maximum. */
    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e6;
    }
}
