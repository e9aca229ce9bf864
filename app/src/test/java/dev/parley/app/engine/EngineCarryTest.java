package dev.parley.app.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.app.engine.api.ChatMessage;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.MessageStatus;
import dev.parley.crypto.MessageId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contacts who carry (app/README.md, "Contacts who carry"): with no mailbox anywhere, Carol keeps Ada's messages for
 * Bo while he is away and hands them over when they meet, and Bo's receipts for Ada the same way. Real engines on
 * loopback with their stores.
 */
class EngineCarryTest {
    @TempDir
    Path temp;

    @Test
    void carolCarriesTwoHundredMessagesToBoAndHisReceiptsBackToAdaWhoNeverMeetsHim() throws Exception {
        TestEngine ada = TestEngine.start(temp, "Ada");
        TestEngine bo = TestEngine.start(temp, "Bo");
        TestEngine carol = TestEngine.start(temp, "Carol");
        TestEngine.befriend(ada, bo);
        TestEngine.befriend(ada, carol);
        TestEngine.befriend(bo, carol);
        // Ada has written to both before (a session with each), and is connected to Carol, as contacts who just
        // talked are.
        ada.engine.chat().send(bo.peerId(), "see you next week");
        bo.events.await(EngineEvent.MessageReceived.class, 1);
        ada.engine.chat().send(carol.peerId(), "are you around tonight?");
        carol.events.await(EngineEvent.MessageReceived.class, 1);
        ada.awaitOutboxEmptyFor(bo.peerId());
        bo.close();

        List<MessageId> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(ada.engine.chat().send(bo.peerId(), "carried " + i));
        }
        Set<MessageId> carried = new HashSet<>();
        ada.events.await(EngineEvent.WithCarrier.class, event -> {
            assertThat(event.carrier()).isEqualTo(carol.peerId());
            carried.addAll(event.ids());
            return carried.containsAll(sent);
        });
        assertThat(ada.engine.history().newest(bo.peerId(), 200).messages()).extracting(ChatMessage::status)
                .containsOnly(MessageStatus.SENT);
        ada.close();

        try (TestEngine boAgain = bo.restart()) {
            List<EngineEvent.MessageReceived> received = boAgain.events.await(EngineEvent.MessageReceived.class, 200);
            assertThat(boAgain.engine.history().newest(ada.peerId(), 300).messages()).hasSize(201);
            assertThat(received).extracting(event -> event.message().text())
                    .containsExactlyElementsOf(sent.stream().map(id -> "carried " + sent.indexOf(id)).toList());
            TestEngine.awaitCondition(() -> carol.engine.store().carried().forRecipient(bo.peerId().toBase58(), 1, 1).isEmpty()
                    && !carol.engine.store().carried().forRecipient(ada.peerId().toBase58(), 1, 1).isEmpty(),
                    "Carol handed Bo everything and keeps his receipts for Ada");
        }

        try (TestEngine adaAgain = ada.restart()) {
            Set<MessageId> delivered = new HashSet<>();
            adaAgain.events.await(EngineEvent.Delivered.class, event -> {
                delivered.add(event.id());
                return delivered.containsAll(sent);
            });
            assertThat(adaAgain.engine.history().newest(bo.peerId(), 200).messages()).extracting(ChatMessage::status)
                    .containsOnly(MessageStatus.DELIVERED);
            TestEngine.awaitCondition(() -> carol.engine.store().carried().bytes() == 0, "Carol keeps nothing more");
        } finally {
            carol.close();
        }
    }
}
