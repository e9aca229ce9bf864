package dev.parley.app.engine.room;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How long a room's log takes to rebuild ({@link RoomLog#of}, as a restart or an invitation does) and to take one
 * more event ({@link RoomLog#add}), for logs of two shapes (app/README.md, "Rooms", for how to run it):
 *
 * <ul>
 *   <li>linear: one admin, later two, adding, removing and renaming in a room that grows to 200 to 240 members,
 *   whose members now and then leave; every event follows the one before;</li>
 *   <li>forks: four admins who now and then sign on the same heads (two or three of them at once, and sometimes a
 *   few events each on its own branch), the next event joining the branches.</li>
 * </ul>
 *
 * For each size (arguments, default 1024 2048 4096 events) it prints the time of {@code of} on the whole set
 * (median and least of up to 20 runs that fit in five seconds: on a machine others share, the least is the
 * steadier); the time of {@code add} for one more event at the end (median
 * of three times 60 removals added one after another, which a full log still takes), signed on the log's heads, or
 * on heads eight events old (a member catching up); the heap the log holds beyond its events; and what {@code of}
 * allocated. A first pass over every size and shape, not shown, lets the JIT compile what they run.
 */
public final class RoomLogBenchmark {
    private static final int POOL = 320;
    private static final int MAX_ROOM = 240;
    private static final int ADDS_TIMED = 60;
    private static final int CHAINS = 3;
    private static final int OF_RUNS = 20;
    private static final long OF_BUDGET_NANOS = 5_000_000_000L;

    private static final List<Identity> PEOPLE = new ArrayList<>();
    private static final Map<PeerId, ContactCard> CARDS = new HashMap<>();

    private RoomLogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1024, 2048, 4096}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int i = 0; i < POOL; i++) {
            Identity identity = Identity.generate();
            PEOPLE.add(identity);
            CARDS.put(identity.peerId(), ContactCard.create(identity, "Person " + i));
        }
        System.out.printf("java %s, %d cores, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        List<Made> logs = new ArrayList<>();
        for (boolean forks : new boolean[] {false, true}) {
            for (int size : sizes) {
                logs.add(new Maker(new Random(size * 7919L + (forks ? 1 : 0)), forks).make(size));
            }
        }
        // A first pass, not shown, lets the JIT compile what every size and shape runs.
        for (Made made : logs) {
            measure(made, false);
        }
        System.out.println("cpu: this thread's processor time; wall: elapsed. conc.: events that share their epoch"
                + " with another; runs: of runs timed.");
        System.out.printf("%-7s %6s %5s %4s %35s %25s %9s %9s%n", "", "", "", "", "RoomLog.of (whole set)",
                "add, cpu median, on", "log", "of");
        System.out.printf("%-7s %6s %5s %4s %11s %11s %11s %12s %12s %9s %9s%n", "shape", "events", "conc.", "runs",
                "cpu median", "cpu min", "wall min", "the heads", "old heads", "heap", "allocs");
        for (Made made : logs) {
            measure(made, true);
        }
    }

    private static void measure(Made made, boolean shown) throws Exception {
        List<Long> cpu = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        long allocated = 0;
        RoomLog log = null;
        long spent = 0;
        while (wall.isEmpty() || wall.size() < OF_RUNS && spent < OF_BUDGET_NANOS) {
            log = null;
            long allocatedBefore = allocatedBytes();
            long cpuStart = cpuTime();
            long start = System.nanoTime();
            log = RoomLog.of(made.events());
            wall.add(System.nanoTime() - start);
            cpu.add(cpuTime() - cpuStart);
            allocated = allocatedBytes() - allocatedBefore;
            spent += wall.getLast();
        }
        if (log.size() != made.events().size()) {
            throw new IllegalStateException("the log holds " + log.size() + " of " + made.events().size());
        }
        Timing addOnHeads = timeAdds(log, made, true);
        Timing addOnOld = timeAdds(log, made, false);
        int members = log.state().members().size();
        if (!shown) {
            return;
        }
        long heapWith = usedAfterGc();
        Reference.reachabilityFence(log);
        log = null;
        long heap = heapWith - usedAfterGc();
        long concurrent = made.events().stream().collect(Collectors.groupingBy(RoomEvent::epoch,
                Collectors.counting())).values().stream().filter(count -> count > 1).mapToLong(Long::longValue).sum();
        System.out.printf("%-7s %6d %5d %4d %11s %11s %11s %12s %12s %7.1f M %7.1f M   (%d members)%n",
                made.shape(), made.events().size(), concurrent, wall.size(), millis(median(cpu)),
                millis(Collections.min(cpu)), millis(Collections.min(wall)), millis(addOnHeads.cpu()),
                millis(addOnOld.cpu()), heap / 1e6, allocated / 1e6, members);
    }

    /** Median processor and wall-clock times. */
    private record Timing(long cpu, long wall) {
    }

    /**
     * The times of adding removals by the creator one after another, each to the log the last made: signed on its
     * heads, or, as from a member that missed the last eight events, the first on the heads of the event eight
     * before the last and each of the others on the one before it, all concurrent with those eight.
     */
    private static Timing timeAdds(RoomLog log, Made made, boolean onHeads) throws Exception {
        List<PeerId> removable = log.state().members().keySet().stream()
                .filter(peer -> !log.state().isAdmin(peer)).limit(ADDS_TIMED).toList();
        List<Long> cpu = new ArrayList<>();
        List<Long> wall = new ArrayList<>();
        long hlc = made.events().size() + 1_000_000L;
        for (int chain = 0; chain < CHAINS; chain++) {
            hlc = timeChain(log, made, onHeads, removable, hlc, cpu, wall);
        }
        return new Timing(median(cpu), median(wall));
    }

    /** Adds one removal of each of {@code removable} after another, from {@code log}; returns the next clock. */
    private static long timeChain(RoomLog log, Made made, boolean onHeads, List<PeerId> removable, long hlc,
                                  List<Long> cpu, List<Long> wall) throws Exception {
        RoomEvent previous = made.events().get(made.events().size() - 8);
        RoomLog current = log;
        for (PeerId member : removable) {
            RoomChange change = new RoomChange.Remove(member);
            RoomEvent event = onHeads ? current.next(made.creator(), hlc++, change)
                    : RoomEvent.sign(made.creator(), log.roomId(), previous.epoch() + 1, List.of(previous.hash()),
                            hlc++, change);
            long cpuStart = cpuTime();
            long start = System.nanoTime();
            RoomLog.Added added = current.add(event);
            wall.add(System.nanoTime() - start);
            cpu.add(cpuTime() - cpuStart);
            if (added.outcome() != RoomLog.Outcome.ADDED) {
                throw new IllegalStateException(event + " was not added: " + added.outcome());
            }
            current = added.log();
            previous = event;
        }
        return hlc;
    }

    private static long median(List<Long> times) {
        return times.stream().sorted().toList().get(times.size() / 2);
    }

    private static long cpuTime() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    /** The events of one log, each after its parents, and the creator, an admin from the first event to the last. */
    private record Made(String shape, List<RoomEvent> events, Identity creator) {
    }

    /**
     * Signs a log's events as its admins would. It keeps the log's structure (ancestors, heads) itself, not a
     * {@link RoomLog}, so that the log being timed is not also what makes the events; and it keeps its own view of
     * the members, which concurrent changes on distinct members leave exact enough.
     */
    private static final class Maker {
        private final Random random;
        private final boolean forks;
        private RoomId room;
        private final List<RoomEvent> events = new ArrayList<>();
        private final List<BitSet> ancestors = new ArrayList<>();
        private final BitSet heads = new BitSet();
        private final Set<PeerId> members = new LinkedHashSet<>();
        private final List<Identity> admins = new ArrayList<>();
        private long hlc;

        Maker(Random random, boolean forks) {
            this.random = random;
            this.forks = forks;
        }

        Made make(int size) {
            Identity creator = PEOPLE.getFirst();
            RoomChange.Create creation = RoomChange.Create.fresh("Benchmark", CARDS.get(creator.peerId()));
            room = creation.roomId();
            sign(creator, new BitSet(), creation);
            members.add(creator.peerId());
            admins.add(creator);
            while (events.size() < size) {
                if (admins.size() < (forks ? 4 : 2) && members.size() > 10 && (forks || events.size() > size / 3)) {
                    promote(creator);
                } else if (forks && admins.size() > 1 && random.nextInt(100) < 12) {
                    fork(size);
                } else if (forks && admins.size() > 1 && random.nextInt(100) < 3) {
                    branches(size);
                } else {
                    Identity author = pick(admins);
                    change(author, heads, Set.of());
                }
            }
            return new Made(forks ? "forks" : "linear", List.copyOf(events), creator);
        }

        private void promote(Identity by) {
            Identity promoted = PEOPLE.stream().filter(person -> members.contains(person.peerId())
                    && !admins.contains(person)).findFirst().orElseThrow();
            sign(by, heads, new RoomChange.Promote(promoted.peerId()));
            admins.add(promoted);
        }

        /** Two or three admins each sign one change on the same heads. */
        private void fork(int size) {
            BitSet on = (BitSet) heads.clone();
            List<Identity> authors = new ArrayList<>(admins);
            Collections.shuffle(authors, random);
            Set<PeerId> touched = new HashSet<>();
            int count = Math.min(Math.min(2 + random.nextInt(2), authors.size()), size - events.size());
            for (Identity author : authors.subList(0, count)) {
                touched.add(change(author, on, touched));
            }
        }

        /** Two admins each sign a few events on a branch of their own, from the same heads. */
        private void branches(int size) {
            BitSet on = (BitSet) heads.clone();
            Identity first = admins.get(random.nextInt(admins.size()));
            Identity second = admins.get((admins.indexOf(first) + 1) % admins.size());
            Set<PeerId> touched = new HashSet<>();
            for (Identity author : List.of(first, second)) {
                BitSet branchHeads = on;
                for (int i = 2 + random.nextInt(5); i > 0 && events.size() < size; i--) {
                    touched.add(change(author, branchHeads, touched));
                    branchHeads = new BitSet();
                    branchHeads.set(events.size() - 1);
                }
            }
        }

        /**
         * One change by {@code author} on {@code on}: mostly adds and removals, then renames, and now and then an
         * ordinary member's leave instead. Leaves {@code touched} members alone; returns the member it changes.
         */
        private PeerId change(Identity author, BitSet on, Set<PeerId> touched) {
            List<PeerId> ordinary = members.stream().filter(peer -> !touched.contains(peer)
                    && admins.stream().noneMatch(admin -> admin.peerId().equals(peer))).toList();
            int kind = random.nextInt(100);
            if (kind < 5 && !ordinary.isEmpty()) {
                PeerId leaving = pick(ordinary);
                sign(PEOPLE.stream().filter(person -> person.peerId().equals(leaving)).findFirst().orElseThrow(),
                        on, new RoomChange.Leave());
                members.remove(leaving);
                return leaving;
            }
            boolean grow = members.size() < MAX_ROOM && random.nextInt(100) < (members.size() < 200 ? 75 : 45);
            if (kind < 80 && grow) {
                List<Identity> outside = PEOPLE.stream().filter(person -> !members.contains(person.peerId())
                        && !touched.contains(person.peerId())).toList();
                Identity added = pick(outside);
                sign(author, on, new RoomChange.Add(CARDS.get(added.peerId())));
                members.add(added.peerId());
                return added.peerId();
            }
            if (kind < 80 && !ordinary.isEmpty()) {
                PeerId removed = pick(ordinary);
                sign(author, on, new RoomChange.Remove(removed));
                members.remove(removed);
                return removed;
            }
            sign(author, on, new RoomChange.Rename("Benchmark " + random.nextInt(1000)));
            return author.peerId();
        }

        private void sign(Identity author, BitSet on, RoomChange change) {
            BitSet past = new BitSet();
            List<byte[]> parents = new ArrayList<>();
            on.stream().forEach(parent -> {
                parents.add(events.get(parent).hash());
                past.set(parent);
                past.or(ancestors.get(parent));
            });
            RoomEvent event = RoomEvent.sign(author, room, past.cardinality(), parents, hlc++, change);
            BitSet parentSet = (BitSet) on.clone();
            heads.andNot(parentSet);
            heads.set(events.size());
            events.add(event);
            ancestors.add(past);
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }
    }
}
