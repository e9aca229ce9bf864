package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.Identity;
import dev.parley.crypto.RoomId;
import dev.parley.transport.multiformats.PeerId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RoomLog#of} and {@link RoomLog#add} go on from the fold of an earlier set of events instead of resolving
 * every event's past, and the whole set, from scratch: they must come to exactly what that plain way comes to. For
 * random sets of events — concurrent changes, events signed on old heads, removals, promotions, leaves, admins
 * removing each other, and now and then an event the log refuses (its author out or no admin where it was signed, a
 * name no room may have) or a set missing an event — the plain way ({@link Plain}, as the log was built before) and
 * the log must take and refuse the same events, with the same reasons, and come to the same state: name, members
 * with their roles and joining epochs, departures, membership changes, heads, the events applied and why each other
 * one changed nothing. Checked three ways: the whole set at once in random orders ({@link RoomLog#of}), event by
 * event as members hand it on ({@link RoomLog#add}, vouched), and in a random delivery order where what nothing
 * vouches for may be refused.
 *
 * <p>{@value #DEFAULT_SCENARIOS} sets from a fixed seed; more, from a random seed:
 * {@code -Dparley.rebuild.seed=random -Dparley.rebuild.scenarios=5000}. A failure names the seed and set; the seed
 * repeats the set's shape but not its hashes (the keys are new on every run), which order events made at once, so
 * a failure may take a few reruns.
 */
class RoomLogRebuildTest {
    static final int DEFAULT_SCENARIOS = 400;
    static final int PEOPLE = 10;

    static List<Identity> people;
    static Map<PeerId, ContactCard> cards;

    @BeforeAll
    static void makePeople() {
        people = new ArrayList<>();
        cards = new HashMap<>();
        for (int i = 0; i < PEOPLE; i++) {
            Identity identity = Identity.generate();
            people.add(identity);
            cards.put(identity.peerId(), ContactCard.create(identity, "Person " + i));
        }
    }

    @Test
    void theLogBuiltAtOnceOrEventByEventComesToWhatResolvingEveryPastAfreshDoes() throws Exception {
        String seedProperty = System.getProperty("parley.rebuild.seed", "20261206");
        long seed = seedProperty.equals("random") ? new SecureRandom().nextLong() : Long.parseLong(seedProperty);
        int scenarios = Integer.getInteger("parley.rebuild.scenarios", DEFAULT_SCENARIOS);
        int refusedSets = 0;
        for (int scenario = 0; scenario < scenarios; scenario++) {
            String where = "seed " + seed + ", set " + scenario + " (rerun with -Dparley.rebuild.seed=" + seed + ")";
            Random random = new Random(seed * 31 + scenario);
            try {
                List<RoomEvent> events = randomEvents(random);
                refusedSets += wholeSetAtOnce(events, random, where);
                eventByEventAsMembersHandItOn(events, random, where);
                inADeliveryOrder(events, random, where);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(where + ": " + e, e);
            }
        }
        if (scenarios >= DEFAULT_SCENARIOS) {
            // Sets the log refuses and sets it takes are both compared.
            assertThat(refusedSets).isBetween(1, scenarios / 2);
        }
    }

    /**
     * {@link RoomLog#of} on the set in random orders, now and then with duplicates or an event left out, against
     * the plain rebuild of the same order. Returns 1 if the set was refused.
     */
    private static int wholeSetAtOnce(List<RoomEvent> events, Random random, String where) {
        int refused = 0;
        for (int order = 0; order < 3; order++) {
            List<RoomEvent> offered = new ArrayList<>(events);
            if (random.nextInt(10) == 0) {
                offered.add(offered.get(random.nextInt(offered.size())));
            }
            if (random.nextInt(12) == 0 && offered.size() > 2) {
                offered.remove(1 + random.nextInt(offered.size() - 1));
            }
            Collections.shuffle(offered, random);
            String plain = Plain.of(offered, events);
            String fast;
            try {
                RoomLog log = RoomLog.of(offered);
                fast = describe(log.state(), events) + "events " + log.events().stream().map(RoomLogRebuildTest::hex)
                        .toList();
            } catch (InvalidRoomEventException e) {
                fast = "refused: " + e.getMessage();
            }
            assertThat(fast).as(where + ", order " + order + ": RoomLog.of").isEqualTo(plain);
            refused = fast.startsWith("refused") ? 1 : refused;
        }
        return refused;
    }

    /**
     * The events, each after its parents, as a member hands them on: a log of the first few made at once, the rest
     * added one by one, vouched, as {@link RoomLog#of} did before; every step against the plain way.
     */
    private static void eventByEventAsMembersHandItOn(List<RoomEvent> events, Random random, String where)
            throws Exception {
        int start = 1 + random.nextInt(events.size());
        Plain plain = new Plain(events.getFirst());
        for (RoomEvent event : events.subList(1, start)) {
            if (!plain.take(event, true).equals("ADDED")) {
                return;
            }
        }
        RoomLog log = RoomLog.of(events.subList(0, start));
        assertThat(describe(log.state(), events)).as(where + ": the first " + start).isEqualTo(plain.describe(events));
        for (RoomEvent event : events.subList(start, events.size())) {
            String expected = plain.take(event, true);
            String actual;
            RoomLog.Added added = null;
            try {
                added = log.add(event, true);
                actual = added.outcome().name();
            } catch (InvalidRoomEventException e) {
                actual = "refused: " + e.getMessage();
            }
            assertThat(actual).as(where + ": " + event + " handed on").isEqualTo(expected);
            if (added == null) {
                return;
            }
            log = added.log();
            assertThat(describe(log.state(), events)).as(where + ": after " + event).isEqualTo(plain.describe(events));
        }
    }

    /**
     * The events in a random order, as pushes bring them: each offered unvouched first, then, as a sync from a member
     * would, vouched; what waits for its parents comes round again. Every step against the plain way.
     */
    private static void inADeliveryOrder(List<RoomEvent> events, Random random, String where) throws Exception {
        RoomLog log = RoomLog.create(events.getFirst());
        Plain plain = new Plain(events.getFirst());
        List<RoomEvent> waiting = new ArrayList<>(events.subList(1, events.size()));
        Collections.shuffle(waiting, random);
        boolean progress = true;
        while (progress && !waiting.isEmpty()) {
            progress = false;
            List<RoomEvent> later = new ArrayList<>();
            for (RoomEvent event : waiting) {
                boolean taken = false;
                for (boolean vouched : new boolean[] {false, true}) {
                    String expected = plain.take(event, vouched);
                    String actual;
                    try {
                        RoomLog.Added added = log.add(event, vouched);
                        actual = added.outcome().name();
                        log = added.log();
                    } catch (InvalidRoomEventException e) {
                        actual = "refused: " + e.getMessage();
                    }
                    assertThat(actual).as(where + ": " + event + (vouched ? " vouched" : "")).isEqualTo(expected);
                    if (actual.equals("ADDED")) {
                        assertThat(describe(log.state(), events)).as(where + ": after " + event)
                                .isEqualTo(plain.describe(events));
                        taken = true;
                        break;
                    }
                    if (actual.equals("MISSING_PARENTS")) {
                        break;
                    }
                }
                if (taken) {
                    progress = true;
                } else {
                    later.add(event);
                }
            }
            waiting = later;
        }
    }

    /**
     * A room's events, each after its parents: members sign on the heads they have seen — all of them, heads from a
     * while ago, or a few events picked anywhere — and mostly what admins sign, including removals of each other;
     * now and then (in one set of six or so) an event by someone who is out where it was signed.
     */
    private static List<RoomEvent> randomEvents(Random random) {
        Identity creator = people.get(random.nextInt(PEOPLE));
        byte[] salt = new byte[RoomChange.Create.SALT_BYTES];
        random.nextBytes(salt);
        RoomChange.Create creation = new RoomChange.Create("Room", cards.get(creator.peerId()), salt);
        RoomId room = creation.roomId();
        Plain made = new Plain(RoomEvent.sign(creator, room, 0, List.of(), 0, creation));
        List<BitSet> seenHeads = new ArrayList<>();
        int size = 2 + random.nextInt(random.nextInt(4) == 0 ? 160 : 40);
        int refused = random.nextInt(6) == 0 ? 1 + random.nextInt(size) : -1;
        for (int step = 1; step < size; step++) {
            seenHeads.add((BitSet) made.heads.clone());
            BitSet parents = new BitSet();
            int kind = random.nextInt(100);
            if (kind < 55) {
                parents.or(made.heads);
            } else if (kind < 80) {
                parents.or(seenHeads.get(random.nextInt(seenHeads.size())));
            } else {
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    parents.set(random.nextInt(made.events.size()));
                }
            }
            while (parents.cardinality() > RoomEvent.MAX_PARENTS) {
                parents.clear(parents.length() - 1);
            }
            BitSet past = new BitSet();
            parents.stream().forEach(parent -> {
                past.set(parent);
                past.or(made.ancestors.get(parent));
            });
            RoomState seen = RoomResolver.resolve(made.events, made.ancestors, past, List.of());
            List<PeerId> members = new ArrayList<>(seen.members().keySet());
            List<PeerId> admins = seen.admins();
            if (members.isEmpty()) {
                // Everyone had left where these heads were: nobody signs on them.
                continue;
            }
            boolean refusing = step == refused;
            PeerId author = refusing && random.nextBoolean() ? pick(random, people).peerId()
                    : random.nextInt(10) < 7 && !admins.isEmpty() ? pick(random, admins) : pick(random, members);
            // Adds of someone in the room and promotions of an admin are refused where they are signed: made only as
            // the set's refused event; otherwise adds are of outsiders and promotions of ordinary members.
            boolean sloppy = refusing && random.nextBoolean();
            List<PeerId> outsiders = people.stream().map(Identity::peerId).filter(peer -> !members.contains(peer))
                    .toList();
            List<PeerId> ordinary = members.stream().filter(peer -> !admins.contains(peer)).toList();
            int kindOfChange = random.nextInt(12);
            if (!sloppy && (kindOfChange <= 2 && outsiders.isEmpty() || kindOfChange >= 6 && kindOfChange <= 7
                    && ordinary.isEmpty())) {
                kindOfChange = 8;
            }
            RoomChange change = switch (kindOfChange) {
                case 0, 1, 2 -> new RoomChange.Add(cards.get(sloppy ? pick(random, people).peerId()
                        : pick(random, outsiders)));
                case 3, 4, 5 -> new RoomChange.Remove(random.nextInt(8) == 0 ? pick(random, people).peerId()
                        : pick(random, members));
                case 6, 7 -> new RoomChange.Promote(sloppy ? pick(random, members) : pick(random, ordinary));
                case 8 -> new RoomChange.Rename(refusing ? " padded " : "Room " + step);
                default -> new RoomChange.Leave();
            };
            if (!admins.contains(author) && !refusing) {
                // An ordinary member signs nothing but its leave: no log takes its other changes.
                change = new RoomChange.Leave();
            }
            Identity signer = people.stream().filter(person -> person.peerId().equals(author)).findFirst()
                    .orElseThrow();
            made.append(RoomEvent.sign(signer, room, past.cardinality(),
                    parents.stream().mapToObj(parent -> made.events.get(parent).hash()).toList(), step, change),
                    parents, past);
        }
        return List.copyOf(made.events);
    }

    private static <T> T pick(Random random, List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /**
     * Everything a state says, for the events of a room: name, epoch, heads, members in order with card, joining
     * epoch and seniority, every departure with the member as it was and the event, the membership changes after
     * each epoch, the events applied in order, and why each other event changed nothing.
     */
    static String describe(RoomState state, List<RoomEvent> events) {
        StringBuilder text = new StringBuilder();
        text.append("room ").append(state.roomId()).append(" '").append(state.name()).append("' epoch ")
                .append(state.epoch()).append('\n');
        text.append("heads ").append(state.heads().stream().map(HexFormat.of()::formatHex).toList()).append('\n');
        state.members().forEach((peer, member) -> text.append("member ").append(describe(member)).append('\n'));
        for (Identity person : people) {
            state.departure(person.peerId()).ifPresent(departure -> text.append("departed ")
                    .append(describe(departure.member())).append(" by ").append(hex(departure.event()))
                    .append('\n'));
        }
        for (long epoch = -1; epoch <= state.epoch() + 1; epoch++) {
            text.append(state.membershipChangesAfter(epoch)).append(' ');
        }
        text.append("changes after each epoch\n");
        text.append("applied ").append(state.applied().stream().map(RoomLogRebuildTest::hex).toList()).append('\n');
        for (RoomEvent event : events) {
            state.skipped(event).ifPresent(reason -> text.append("skipped ").append(hex(event)).append(": ")
                    .append(reason).append('\n'));
        }
        return text.toString();
    }

    private static String describe(RoomMemberInfo member) {
        return member.card().peerId() + " " + member.card().displayName() + " " + HexFormat.of()
                .formatHex(member.card().encode()) + " joined " + member.joinedEpoch() + " " + member.adminSince()
                .map(since -> "admin since " + since.epoch() + " " + HexFormat.of().formatHex(since.eventHash()))
                .orElse("member");
    }

    private static String hex(RoomEvent event) {
        return HexFormat.of().formatHex(event.hash());
    }

    /**
     * The log as it was built before {@link RoomLog#of} and {@link RoomLog#add} went on from earlier folds: every
     * event checked against its past resolved from scratch, and the state of the whole set resolved afresh. Its
     * joining epochs are checked against the plain definition too: an added member joins after every applied event
     * concurrent with its add.
     */
    private static final class Plain {
        final List<RoomEvent> events = new ArrayList<>();
        final Map<String, Integer> indexes = new HashMap<>();
        final List<BitSet> ancestors = new ArrayList<>();
        final BitSet heads = new BitSet();

        Plain(RoomEvent created) {
            append(created, new BitSet(), new BitSet());
        }

        /**
         * What RoomLog.of made of the set {@code offered}, in that order, from a room's {@code events}: its state and
         * events, or why it refused it.
         */
        static String of(List<RoomEvent> offered, List<RoomEvent> events) {
            List<RoomEvent> sorted = offered.stream().sorted(Comparator.comparingLong(RoomEvent::epoch)).toList();
            try {
                RoomLog.create(sorted.getFirst());
            } catch (InvalidRoomEventException e) {
                return "refused: " + e.getMessage();
            }
            Plain plain = new Plain(sorted.getFirst());
            for (RoomEvent event : sorted.subList(1, sorted.size())) {
                String outcome = plain.take(event, true);
                if (outcome.equals("MISSING_PARENTS")) {
                    return "refused: " + event + " follows events the log does not hold";
                }
                if (outcome.startsWith("refused")) {
                    return outcome;
                }
            }
            return plain.describe(events) + "events " + plain.events.stream().map(RoomLogRebuildTest::hex)
                    .toList();
        }

        /** RoomLog.add as it was: the outcome's name, or "refused: " and why. Takes the event if it is added. */
        String take(RoomEvent event, boolean vouched) {
            if (!event.roomId().equals(events.getFirst().roomId())) {
                return "refused: " + event + " belongs to another room than " + events.getFirst().roomId();
            }
            if (indexes.containsKey(RoomState.key(event.hash()))) {
                return "HELD";
            }
            if (event.epoch() == 0) {
                return "refused: " + event + " creates a room whose log exists already";
            }
            BitSet parents = new BitSet();
            BitSet past = new BitSet();
            for (byte[] parent : event.parents()) {
                Integer index = indexes.get(RoomState.key(parent));
                if (index == null) {
                    return "MISSING_PARENTS";
                }
                parents.set(index);
                past.set(index);
                past.or(ancestors.get(index));
            }
            if (past.cardinality() != event.epoch()) {
                return "refused: " + event + " claims epoch " + event.epoch() + " but follows " + past.cardinality()
                        + " events";
            }
            boolean departure = event.departing().isPresent();
            long bound = departure ? RoomLog.MAX_EVENTS_WITH_DEPARTURES : RoomLog.MAX_EVENTS;
            if (event.epoch() >= bound) {
                return "refused: " + event + " follows " + event.epoch() + " events; a room takes "
                        + (departure ? "departures" : "changes") + " only below " + bound;
            }
            if (event.change() instanceof RoomChange.Rename rename
                    && ContactCard.displayNameProblem(rename.name()).isPresent()) {
                return "refused: " + event + ": " + ContactCard.displayNameProblem(rename.name()).get()
                        .replace("display name", "room name");
            }
            if (events.size() >= RoomLog.MAX_HELD) {
                return "refused: " + event + " would make the log hold more than " + RoomLog.MAX_HELD + " events";
            }
            if (!vouched) {
                RoomState stands = state();
                PeerId author = event.author();
                if (!stands.isMember(author)) {
                    return "refused: " + event + " would change nothing: its author " + author
                            + " is not in the room";
                }
                if (!stands.isAdmin(author) && !(event.change() instanceof RoomChange.Leave)) {
                    return "refused: " + event + " would change nothing: its author " + author + " is not an admin";
                }
            }
            RoomState before = RoomResolver.resolve(events, ancestors, past, List.of());
            if (!before.isMember(event.author())) {
                return "refused: " + event + ": its author " + event.author()
                        + " is not a member in the room it follows";
            }
            if (!before.isAdmin(event.author()) && !(event.change() instanceof RoomChange.Leave)) {
                return "refused: " + event + ": its author " + event.author()
                        + " is not an admin in the room it follows";
            }
            if (event.change() instanceof RoomChange.Add add && before.isMember(add.member().peerId())) {
                return "refused: " + event + ": " + add.member().peerId() + " is a member already in the room it"
                        + " follows";
            }
            if (event.change() instanceof RoomChange.Add && before.members().size() >= RoomState.MAX_MEMBERS) {
                return "refused: " + event + ": the room it follows holds " + RoomState.MAX_MEMBERS
                        + " members already, as many as a room holds";
            }
            if (event.change() instanceof RoomChange.Promote promote && !before.isMember(promote.member())) {
                return "refused: " + event + ": " + promote.member() + " is not a member in the room it follows";
            }
            if (event.change() instanceof RoomChange.Promote promote && before.isAdmin(promote.member())) {
                return "refused: " + event + ": " + promote.member() + " is an admin already in the room it follows";
            }
            append(event, parents, past);
            return "ADDED";
        }

        void append(RoomEvent event, BitSet parents, BitSet past) {
            indexes.put(RoomState.key(event.hash()), events.size());
            heads.andNot(parents);
            heads.set(events.size());
            events.add(event);
            ancestors.add(past);
        }

        RoomState state() {
            BitSet all = new BitSet();
            all.set(0, events.size());
            List<byte[]> headHashes = heads.stream().mapToObj(index -> events.get(index).hash())
                    .sorted(RoomEvent.HASH_ORDER).toList();
            RoomState state = RoomResolver.resolve(events, ancestors, all, headHashes);
            assertJoinedAsDefined(state);
            return state;
        }

        String describe(List<RoomEvent> of) {
            return RoomLogRebuildTest.describe(state(), of);
        }

        /**
         * Each member added joins at its add's epoch, or after the latest applied event concurrent with that add:
         * checked against every applied event, as the resolver once did.
         */
        private void assertJoinedAsDefined(RoomState state) {
            Map<PeerId, Integer> addedBy = new HashMap<>();
            for (RoomEvent event : state.applied()) {
                if (event.change() instanceof RoomChange.Add add) {
                    addedBy.put(add.member().peerId(), indexes.get(RoomState.key(event.hash())));
                }
            }
            state.members().forEach((peer, member) -> {
                Integer add = addedBy.get(peer);
                if (add == null) {
                    return;
                }
                long joined = events.get(add).epoch();
                for (RoomEvent event : state.applied()) {
                    int other = indexes.get(RoomState.key(event.hash()));
                    if (other != add && !ancestors.get(add).get(other) && !ancestors.get(other).get(add)) {
                        joined = Math.max(joined, event.epoch() + 1);
                    }
                }
                assertThat(member.joinedEpoch()).as(peer + " joined").isEqualTo(joined);
            });
        }
    }
}
