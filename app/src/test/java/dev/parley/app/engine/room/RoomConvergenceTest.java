package dev.parley.app.engine.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.crypto.ContactCard;
import dev.parley.crypto.ConversationId;
import dev.parley.crypto.EnvelopeException;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.HeaderFields;
import dev.parley.crypto.Identity;
import dev.parley.crypto.MessageId;
import dev.parley.crypto.RoomId;
import dev.parley.crypto.SenderKey;
import dev.parley.crypto.SenderKeyRing;
import dev.parley.crypto.TinkEnvelopeSealer;
import dev.parley.transport.multiformats.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The membership log as a property: members of a room (3 to 8) change it at once — adds, removals, promotions,
 * leaves, renames, admins removing each other — each on the events it has seen so far, while writing messages under
 * the sender keys they hand out whenever the members change, as the engine does. Then every member receives every
 * event, in a random order and with duplicates, several times over. Whatever the order:
 *
 * <ul>
 *   <li>every member ends with the same log (heads), members, admins, name and effective events, and that is the
 *   state of the set of all events;</li>
 *   <li>no member's view that holds a member's departure (the one that took effect in the end) ever has that member
 *   in the room again, at any step of any order: so no key made in such a view reaches it, and indeed the removed
 *   member holds no key made after its removal;</li>
 *   <li>every message a member accepted still opens with the keys it holds at the end.</li>
 * </ul>
 *
 * The suite runs {@value #DEFAULT_SCENARIOS} scenarios of {@value #ORDERS} delivery orders each from a fixed seed.
 * More, from a random seed: {@code -Dparley.convergence.seed=random -Dparley.convergence.scenarios=20000}; a failure
 * names the seed and scenario that reproduce it.
 */
class RoomConvergenceTest {
    static final int DEFAULT_SCENARIOS = 300;
    static final int ORDERS = 10;
    static final int MEMBER_POOL = 8;
    static final int OUTSIDERS = 6;
    private static final TinkEnvelopeSealer SEALER = new TinkEnvelopeSealer();

    static List<Identity> people;
    static Map<PeerId, Identity> byPeer;
    static Map<PeerId, ContactCard> cards;

    @BeforeAll
    static void makePeople() {
        people = new ArrayList<>();
        byPeer = new HashMap<>();
        cards = new HashMap<>();
        for (int i = 0; i < MEMBER_POOL + OUTSIDERS; i++) {
            Identity identity = Identity.generate();
            people.add(identity);
            byPeer.put(identity.peerId(), identity);
            cards.put(identity.peerId(), ContactCard.create(identity, "Person " + i));
        }
    }

    @Test
    void everyMemberComesToTheSameRoomAndARemovedMemberStaysOutWhateverTheOrder() {
        String seedProperty = System.getProperty("parley.convergence.seed", "20261205");
        long seed = seedProperty.equals("random") ? new SecureRandom().nextLong() : Long.parseLong(seedProperty);
        int scenarios = Integer.getInteger("parley.convergence.scenarios", DEFAULT_SCENARIOS);
        int interleavings = 0;
        for (int scenario = 0; scenario < scenarios; scenario++) {
            String where = "seed " + seed + ", scenario " + scenario
                    + " (rerun with -Dparley.convergence.seed=" + seed + ")";
            try {
                interleavings += new Scenario(new Random(seed * 31 + scenario)).run(where);
            } catch (Exception e) {
                throw new AssertionError(where + ": " + e, e);
            }
        }
        assertThat(interleavings).isEqualTo(scenarios * ORDERS);
    }

    /** One room, its members' concurrent changes and messages, then every event delivered to everyone. */
    private static final class Scenario {
        private final Random random;
        private RoomId room;
        private final Map<PeerId, Member> members = new LinkedHashMap<>();
        private final Map<String, RoomEvent> all = new LinkedHashMap<>();
        private final List<Identity> outsiders = new ArrayList<>();
        private final List<Sealed> messages = new ArrayList<>();
        private long clock;

        Scenario(Random random) {
            this.random = random;
        }

        /** Returns how many delivery orders it checked. */
        int run(String where) throws Exception {
            setUp();
            int steps = 2 + random.nextInt(8);
            for (int step = 0; step < steps; step++) {
                Member actor = pick(new ArrayList<>(members.values()));
                if (random.nextInt(10) < 4) {
                    hearSome(actor, where);
                }
                int kind = random.nextInt(100);
                if (kind < 15) {
                    mutualRemoval(where);
                } else if (kind < 25) {
                    backDate(where);
                } else {
                    actor.changeSomething(where);
                }
                if (random.nextInt(10) < 5) {
                    pick(new ArrayList<>(members.values())).say();
                }
            }
            for (Sealed sealed : messages) {
                for (Member member : members.values()) {
                    member.receive(sealed);
                }
            }

            RoomState whole = RoomLog.of(all.values()).state();
            Map<PeerId, RoomEvent> departures = new HashMap<>();
            for (PeerId peer : members.keySet()) {
                whole.departure(peer).ifPresent(departure -> departures.put(peer, departure.event()));
            }
            for (Member member : members.values()) {
                RoomEvent departure = departures.get(member.peer);
                for (SentKey sent : member.keysReceived) {
                    assertThat(departure == null || inForce(sent.view, member.peer, departure))
                            .as(where + ": " + member + " got " + sent.key + " from a view where its removal"
                                    + " was in force")
                            .isTrue();
                }
            }
            for (int order = 0; order < ORDERS; order++) {
                for (Member member : members.values()) {
                    RoomState state = member.receiveAll(shuffledWithDuplicates(), departures, where);
                    assertSame(whole, state, where + ", order " + order + ", " + member);
                }
            }
            for (Member member : members.values()) {
                if (whole.isMember(member.peer)) {
                    member.reopenEverything(where);
                }
            }
            return ORDERS;
        }

        /** The room as everyone starts: created, every member added, a few admins promoted one after another. */
        private void setUp() throws InvalidRoomEventException {
            int size = 3 + random.nextInt(MEMBER_POOL - 2);
            List<Identity> shuffled = new ArrayList<>(people.subList(0, MEMBER_POOL));
            Collections.shuffle(shuffled, random);
            outsiders.addAll(people.subList(MEMBER_POOL, people.size()));
            Identity creator = shuffled.getFirst();
            byte[] salt = new byte[RoomChange.Create.SALT_BYTES];
            random.nextBytes(salt);
            RoomChange.Create creation = new RoomChange.Create("Room", cards.get(creator.peerId()), salt);
            room = creation.roomId();
            RoomEvent created = RoomEvent.sign(creator, room, 0, List.of(), clock++, creation);
            RoomLog log = RoomLog.create(created);
            all.put(hex(created), created);
            for (Identity identity : shuffled.subList(0, size)) {
                members.put(identity.peerId(), new Member(identity));
            }
            for (Identity added : shuffled.subList(1, size)) {
                log = extend(log, log.next(creator, clock++, new RoomChange.Add(cards.get(added.peerId()))));
            }
            Identity promoter = creator;
            int admins = random.nextInt(4);
            for (Identity promoted : shuffled.subList(1, 1 + Math.min(admins, size - 1))) {
                log = extend(log, log.next(promoter, clock++, new RoomChange.Promote(promoted.peerId())));
                promoter = promoted;
            }
            RoomLog shared = log;
            for (Member member : members.values()) {
                member.view = shared;
                member.ring.rotate(room, shared.state().epoch());
            }
            for (Member owner : members.values()) {
                SenderKey key = owner.ring.current(room).orElseThrow();
                members.values().stream().filter(other -> other != owner)
                        .forEach(other -> other.keep(new SentKey(key, shared)));
            }
        }

        private RoomLog extend(RoomLog log, RoomEvent event) throws InvalidRoomEventException {
            all.put(hex(event), event);
            return log.add(event).log();
        }

        /** The actor first hears some of what others did, as a sync or a push would bring it. */
        private void hearSome(Member actor, String where) throws Exception {
            List<RoomEvent> some = new ArrayList<>(all.values());
            Collections.shuffle(some, random);
            actor.receiveSome(some.subList(0, random.nextInt(some.size() + 1)), where);
        }

        /** Two admins, each on what it has seen, remove each other. */
        private void mutualRemoval(String where) throws Exception {
            List<Member> admins = members.values().stream().filter(member -> member.view.state()
                    .isAdmin(member.peer)).toList();
            if (admins.size() < 2) {
                return;
            }
            Member first = pick(admins);
            Member second = pick(admins);
            if (first != second) {
                // Signed whatever their own view says: a junior admin may try it all the same.
                first.sign(first.view, new RoomChange.Remove(second.peer), where);
                second.sign(second.view, new RoomChange.Remove(first.peer), where);
            }
        }

        /**
         * A member that knows it is out signs a change on a view from before, when it was still in: it removes
         * someone, promotes someone or adds an outsider, pretending it made the change back then.
         */
        private void backDate(String where) throws Exception {
            List<Member> out = members.values().stream().filter(member -> !member.view.state().isMember(member.peer)
                    && member.views.stream().anyMatch(old -> old.state().isMember(member.peer))).toList();
            if (out.isEmpty()) {
                return;
            }
            Member attacker = pick(out);
            List<RoomLog> inViews = attacker.views.stream().filter(old -> old.state().isMember(attacker.peer))
                    .toList();
            RoomLog old = pick(inViews);
            List<PeerId> others = old.state().members().keySet().stream()
                    .filter(other -> !other.equals(attacker.peer)).toList();
            if (others.isEmpty()) {
                return;
            }
            PeerId victim = pick(others);
            RoomChange change = switch (random.nextInt(3)) {
                case 0 -> new RoomChange.Remove(victim);
                case 1 -> new RoomChange.Promote(victim);
                default -> new RoomChange.Rename("Taken back");
            };
            attacker.sign(old, change, where);
        }

        private List<RoomEvent> shuffledWithDuplicates() {
            List<RoomEvent> delivery = new ArrayList<>(all.values());
            for (int i = random.nextInt(all.size() + 1); i > 0; i--) {
                delivery.add(pick(new ArrayList<>(all.values())));
            }
            Collections.shuffle(delivery, random);
            return delivery;
        }

        private <T> T pick(List<T> from) {
            return from.get(random.nextInt(from.size()));
        }

        /**
         * Whether {@code view} agrees that {@code departed} is out if it holds {@code departure} (its departure in the
         * end). Nothing signed beside or before a departure brings its member back (RoomResolver, rule 4), so there
         * is no excuse: not a senior admin's removal of the remover, nor the remover's own leave on older heads.
         */
        private static boolean inForce(RoomLog view, PeerId departed, RoomEvent departure) {
            return !view.holds(departure.hash()) || !view.state().isMember(departed);
        }

        /**
         * What a member who is out signs changes nothing, but for a removal it could make where it signed it, which
         * stands (RoomResolver, rule 4), and a leave it signed while it was in: those take members out, and with
         * them what they did at the same time; they never bring anyone in, nor make anyone an admin.
         */
        private static void assertOnlyTakesOut(RoomState previous, RoomState state, RoomEvent event, String what) {
            if (!(event.change() instanceof RoomChange.Remove) && !(event.change() instanceof RoomChange.Leave)) {
                assertThat(summary(state)).as(what + ", and it changed the room").isEqualTo(summary(previous));
                return;
            }
            assertThat(previous.members().keySet()).as(what + ", and it brought someone in")
                    .containsAll(state.members().keySet());
            assertThat(previous.admins()).as(what + ", and it made someone an admin").containsAll(state.admins());
        }

        /** The view's events, each with its author, change, parents and what came of it: for a failure's message. */
        private static String describe(RoomLog view) {
            StringBuilder text = new StringBuilder();
            for (RoomEvent event : view.events()) {
                text.append("  ").append(hex(event), 0, 8).append(" epoch ").append(event.epoch()).append(" by ")
                        .append(name(event.author())).append(": ").append(switch (event.change()) {
                            case RoomChange.Remove remove -> "remove " + name(remove.member());
                            case RoomChange.Promote promote -> "promote " + name(promote.member());
                            case RoomChange.Add add -> "add " + name(add.member().peerId());
                            default -> event.change().getClass().getSimpleName();
                        }).append(" after ").append(event.parents().stream()
                                .map(parent -> HexFormat.of().formatHex(parent, 0, 4)).toList())
                        .append(" -> ").append(view.state().skipped(event).orElse("applied")).append('\n');
            }
            return text.toString();
        }

        private static String name(PeerId peer) {
            return cards.get(peer).displayName();
        }

        /** What a member sees of the room: members and roles, name, and which events took effect. */
        private static List<Object> summary(RoomState state) {
            return List.of(roles(state), state.name(), state.applied().stream().map(Scenario::hex).toList());
        }

        private static String hex(RoomEvent event) {
            return HexFormat.of().formatHex(event.hash());
        }

        /**
         * The same room: members and roles, name, the events that took effect, and the heads among them. A member
         * may hold, or have refused, events that change nothing and that nobody in the room follows (what a member
         * who is out signs); those alone may differ, and with them the count of events, the epoch.
         */
        private static void assertSame(RoomState expected, RoomState actual, String where) {
            assertThat(liveHeads(actual)).as(where + ": heads that took effect").isEqualTo(liveHeads(expected));
            assertThat(roles(actual)).as(where + ": members").isEqualTo(roles(expected));
            assertThat(actual.name()).as(where + ": name").isEqualTo(expected.name());
            assertThat(actual.applied().stream().map(Scenario::hex).toList()).as(where + ": effective events")
                    .isEqualTo(expected.applied().stream().map(Scenario::hex).toList());
        }

        private static List<String> liveHeads(RoomState state) {
            Set<String> applied = state.applied().stream().map(Scenario::hex).collect(java.util.stream.Collectors.toSet());
            return state.heads().stream().map(HexFormat.of()::formatHex).filter(applied::contains).toList();
        }

        private static Map<String, String> roles(RoomState state) {
            Map<String, String> roles = new TreeMap<>();
            state.members().forEach((peer, member) -> roles.put(peer.toBase58(), member.role() + " since "
                    + member.joinedEpoch()));
            return roles;
        }

        /** A key and the view of the log its owner made it in. */
        private record SentKey(SenderKey key, RoomLog view) {
        }

        private record Sealed(PeerId sender, byte[] envelope, Set<PeerId> recipients) {
        }

        /** One member: its own view of the log, its keys, and the messages it accepted. */
        private final class Member {
            final Identity identity;
            final PeerId peer;
            final SenderKeyRing ring;
            final List<SentKey> keysReceived = new ArrayList<>();
            final List<byte[]> accepted = new ArrayList<>();
            /** Every view this member had, oldest first. */
            final List<RoomLog> views = new ArrayList<>();
            RoomLog view;
            long sequence;

            Member(Identity identity) {
                this.identity = identity;
                this.peer = identity.peerId();
                this.ring = new SenderKeyRing(peer);
            }

            /** A change that takes effect in this member's own view, as the engine makes only such changes. */
            void changeSomething(String where) throws Exception {
                RoomState state = view.state();
                if (!state.isMember(peer)) {
                    return;
                }
                List<RoomChange> candidates = new ArrayList<>();
                for (PeerId other : state.members().keySet()) {
                    if (!other.equals(peer)) {
                        candidates.add(new RoomChange.Remove(other));
                        candidates.add(new RoomChange.Promote(other));
                    }
                }
                outsiders.stream().filter(outsider -> !state.isMember(outsider.peerId())
                                && state.departure(outsider.peerId()).isEmpty())
                        .findFirst().ifPresent(outsider -> candidates.add(new RoomChange.Add(
                                cards.get(outsider.peerId()))));
                candidates.add(new RoomChange.Rename("Name " + random.nextInt(1000)));
                candidates.add(new RoomChange.Leave());
                Collections.shuffle(candidates, random);
                for (RoomChange change : candidates) {
                    if (make(change, where)) {
                        return;
                    }
                }
            }

            /** Signs the change on this member's heads and keeps it if it takes effect here. */
            boolean make(RoomChange change, String where) throws Exception {
                if (!view.state().isMember(peer)) {
                    return false;
                }
                RoomEvent event = view.next(identity, clock++, change);
                try {
                    if (view.add(event).log().state().skipped(event).isPresent()) {
                        return false;
                    }
                } catch (InvalidRoomEventException e) {
                    return false;
                }
                publish(event, change, where);
                return true;
            }

            /**
             * Signs the change on the heads of {@code on}, whatever it comes to, and sends it out; but not one its
             * author could not make even there (no admin, an add of a member, a promotion of an admin): no member
             * takes such an event, whoever follows it (RoomLogTest has that).
             */
            void sign(RoomLog on, RoomChange change, String where) throws Exception {
                RoomEvent event = on.next(identity, clock++, change);
                try {
                    on.add(event, true);
                } catch (InvalidRoomEventException e) {
                    return;
                }
                publish(event, change, where);
            }

            private void publish(RoomEvent event, RoomChange change, String where) throws Exception {
                all.put(hex(event), event);
                if (change instanceof RoomChange.Add add) {
                    Identity added = byPeer.get(add.member().peerId());
                    outsiders.remove(added);
                    Member joined = new Member(added);
                    joined.view = view;
                    members.put(added.peerId(), joined);
                }
                take(event, false, Map.of(), where);
            }

            void receiveSome(List<RoomEvent> events, String where) throws Exception {
                deliver(events, Map.of(), where);
            }

            RoomState receiveAll(List<RoomEvent> events, Map<PeerId, RoomEvent> departures, String where)
                    throws Exception {
                RoomLog start = view;
                deliver(events, departures, where);
                RoomState end = view.state();
                view = start;
                return end;
            }

            /**
             * Takes events one by one in the order given, as their authors' pushes bring them; one whose parents are
             * missing, or that changes nothing by itself, waits. What waits then comes as a sync from a member brings
             * it: what another member holds, this one takes too.
             */
            private void deliver(List<RoomEvent> events, Map<PeerId, RoomEvent> departures, String where)
                    throws Exception {
                List<RoomEvent> waiting = new ArrayList<>(events);
                boolean progress = true;
                while (progress && !waiting.isEmpty()) {
                    progress = false;
                    List<RoomEvent> later = new ArrayList<>();
                    for (RoomEvent event : waiting) {
                        if (view.holds(event.hash()) || take(event, false, departures, where)) {
                            progress = true;
                        } else {
                            later.add(event);
                        }
                    }
                    waiting = later;
                }
                progress = true;
                while (progress && !waiting.isEmpty()) {
                    progress = false;
                    List<RoomEvent> batch = waiting.stream().filter(event -> !view.holds(event.hash()))
                            .sorted(java.util.Comparator.comparingLong(RoomEvent::epoch)).toList();
                    // A sync from a member: it hands on what it holds, which we take (its rules still apply).
                    List<RoomEvent> later = new ArrayList<>();
                    for (RoomEvent event : batch) {
                        if (view.holds(event.hash()) || take(event, true, departures, where)) {
                            progress = true;
                        } else {
                            later.add(event);
                        }
                    }
                    waiting = later;
                }
            }

            /**
             * Adds one event to this member's view, checks that no departure it holds has been undone, and, if the
             * members changed and this member is still one, makes a new key and hands it to the members it sees.
             */
            private boolean take(RoomEvent event, boolean vouched, Map<PeerId, RoomEvent> departures, String where)
                    throws Exception {
                RoomLog.Added added;
                try {
                    added = view.add(event, vouched);
                } catch (InvalidRoomEventException e) {
                    return false;
                }
                if (added.outcome() == RoomLog.Outcome.MISSING_PARENTS) {
                    return false;
                }
                RoomState previous = view.state();
                Set<PeerId> before = previous.members().keySet();
                view = added.log();
                if (departures.isEmpty()) {
                    views.add(view);
                }
                RoomState state = view.state();
                if (!previous.isMember(event.author()) && previous.departure(event.author()).isPresent()) {
                    assertOnlyTakesOut(previous, state, event,
                            where + ": " + this + " took " + event + " from a member who is out");
                }
                departures.forEach((departed, departure) -> {
                    if (!inForce(view, departed, departure)) {
                        throw new AssertionError(where + ": " + this + " holds the departure of " + name(departed)
                                + " yet has it in the room:\n" + describe(view));
                    }
                });
                if (departures.isEmpty() && state.isMember(peer) && !state.members().keySet().equals(before)
                        && ring.current(room).map(SenderKey::epoch).orElse(-1L) < state.epoch()) {
                    SenderKey key = ring.rotate(room, state.epoch());
                    for (PeerId recipient : state.members().keySet()) {
                        Member other = members.get(recipient);
                        if (other != null && other != this) {
                            other.keep(new SentKey(key, view));
                        }
                    }
                }
                return true;
            }

            void keep(SentKey sent) {
                keysReceived.add(sent);
                ring.add(sent.key());
            }

            /** A message under this member's current key, to the members it sees. */
            void say() throws EnvelopeException {
                Optional<SenderKey> key = ring.current(room);
                if (!view.state().isMember(peer) || key.isEmpty()) {
                    return;
                }
                byte[] envelope = SEALER.sealRoom(identity, key.get(), new HeaderFields(MessageId.random(),
                        ConversationId.of(room), clock++, EnvelopeKind.TEXT), ++sequence,
                        ("said by " + this).getBytes(StandardCharsets.UTF_8)).encode();
                messages.add(new Sealed(peer, envelope, Set.copyOf(view.state().members().keySet())));
            }

            /** A member accepts a message the way the engine does: from a sender who may write at its epoch. */
            void receive(Sealed sealed) {
                if (sealed.sender().equals(peer) || !sealed.recipients().contains(peer)) {
                    return;
                }
                try {
                    long epoch = dev.parley.crypto.Envelope.decode(sealed.envelope()).header().epoch();
                    if (view.state().writeProblem(sealed.sender(), epoch).isEmpty()) {
                        SEALER.openRoom(sealed.envelope(), ring, id -> true);
                        accepted.add(sealed.envelope());
                    }
                } catch (EnvelopeException e) {
                    // Not opened (a key not handed to this member): not accepted either.
                }
            }

            void reopenEverything(String where) throws EnvelopeException {
                for (byte[] envelope : accepted) {
                    assertThat(SEALER.openRoom(envelope, ring, id -> true).plaintext()).as(where).isNotEmpty();
                }
            }

            @Override
            public String toString() {
                return cards.get(peer).displayName();
            }
        }
    }

}
