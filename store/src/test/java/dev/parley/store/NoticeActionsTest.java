package dev.parley.store;

import static dev.parley.store.TestData.ALICE;
import static dev.parley.store.TestData.CHAT;
import static dev.parley.store.TestData.T0;
import static dev.parley.store.TestData.addAliceChat;
import static dev.parley.store.TestData.fromAlice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.store.MessageActions.Extras;
import dev.parley.store.MessageActions.Outcome;
import dev.parley.store.MessageActions.PendingAction;
import dev.parley.store.MessageActions.PendingKind;
import dev.parley.store.MessageActions.Reaction;
import dev.parley.store.MessageActions.TextVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A notice says what happened in a conversation, and no action changes it, whoever its stored sender is (its
 * event's author): every path an action takes into the store meets the refusal, on a real SQLite file.
 */
class NoticeActionsTest extends StoreOnDisk {
    private static final String SAYS = "Alice added Carol";

    @BeforeEach
    void aNoticeOfAlicesChange() {
        addAliceChat(store);
        store.messages().insert(notice("held", 100));
    }

    @Test
    void itsAuthorCannotReactEditOrDeleteItForEveryoneDirectlyOrAsItArrives() {
        MessageKey held = fromAlice("held");
        assertThat(store.actions().react(held, ALICE, "👍", true, 200)).isEqualTo(Outcome.REFUSED);
        assertThat(store.actions().edit(held, ALICE, "e1", 201, "Carol removed Bob", T0)).isEqualTo(Outcome.REFUSED);
        assertThat(store.actions().deleteForEveryone(held, ALICE, T0)).isEqualTo(Outcome.REFUSED);
        for (PendingKind kind : PendingKind.values()) {
            String detail = switch (kind) {
                case REACT, UNREACT -> "👍";
                case EDIT -> "Carol removed Bob";
                case DELETE -> "";
            };
            assertThat(store.actions().take(new PendingAction(held, ALICE, "t-" + kind, kind, 300 + kind.ordinal(),
                    detail, T0))).as(kind.toString()).isEqualTo(Outcome.REFUSED);
        }
        assertUnchanged(held);
    }

    @Test
    void actionsThatWaitedForItAreRefusedWhenItArrives() {
        MessageKey late = fromAlice("late");
        assertThat(store.actions().take(new PendingAction(late, ALICE, "w-edit", PendingKind.EDIT, 400,
                "Carol removed Bob", T0))).isEqualTo(Outcome.MISSING);
        assertThat(store.actions().take(new PendingAction(late, ALICE, "w-delete", PendingKind.DELETE, 401, "", T0)))
                .isEqualTo(Outcome.MISSING);
        store.messages().insert(notice("late", 150));
        assertThat(store.actions().applyPending(late)).containsOnly(Outcome.REFUSED);
        assertUnchanged(late);
    }

    @Test
    void anImportSayingItWasEditedReactedToOrDeletedChangesOnlyWhetherItIsHidden() {
        MessageKey held = fromAlice("held");
        store.actions().restore(held, new Extras(Optional.empty(), false, true, false, true,
                List.of(new Reaction(ALICE, "👍"))), List.of(new TextVersion(SAYS, 100, T0),
                        new TextVersion("Carol removed Bob", 500, T0)), T0);
        store.actions().restore(held, new Extras(Optional.empty(), false, false, true, true, List.of()), List.of(),
                T0);
        assertUnchanged(held);
        assertThat(store.actions().extras(List.of(held)).get(held).hidden()).isTrue();
    }

    private void assertUnchanged(MessageKey notice) {
        assertThat(store.messages().newest(CHAT, 10).messages().stream().filter(m -> m.key().equals(notice))
                .map(StoredMessage::body)).containsExactly(SAYS);
        Extras extras = store.actions().extras(List.of(notice)).get(notice);
        assertThat(extras.edited()).isFalse();
        assertThat(extras.deleted()).isFalse();
        assertThat(extras.reactions()).isEmpty();
        assertThat(store.actions().versions(notice)).isEmpty();
        assertThat(store.actions().pendingCount(CHAT)).isZero();
    }

    private static StoredMessage notice(String id, long hlc) {
        return new StoredMessage(id, CHAT, ALICE, hlc, T0.plusMillis(hlc), T0.plusMillis(hlc + 1),
                Direction.INCOMING, MessageKind.NOTICE, SAYS, MessageState.RECEIVED);
    }
}
