package dev.parley.app.engine;

import dev.parley.app.engine.api.ConversationRef;
import dev.parley.app.engine.api.EngineEvent;
import dev.parley.app.engine.api.FileTransfer;
import dev.parley.app.engine.api.MessageRef;
import dev.parley.app.engine.wire.ChatProtos.FileOffer;
import dev.parley.app.engine.wire.ChatProtos.Text;
import dev.parley.crypto.EnvelopeKind;
import dev.parley.crypto.MessageId;

/**
 * Alice and Bob, contacts, where Alice's Parley may offer Bob files as a hostile one would: what the files' attack
 * tests share.
 */
abstract class FileOffersTest extends TwoContactsTest {
    MessageRef sendOffer(FileOffer offer) throws Exception {
        return sendOffer(offer, "");
    }

    /** Sends a TEXT whose offer says what the test wants, as a hostile Parley would; returns it as Bob names it. */
    MessageRef sendOffer(FileOffer offer, String caption) throws Exception {
        int before = bob.events.all(EngineEvent.MessageReceived.class).size();
        alice.outgoing().queue(bob.engine.card(), EnvelopeKind.TEXT,
                Text.newBuilder().setBody(caption).setFile(offer).build().toByteArray());
        MessageId id = bob.events.await(EngineEvent.MessageReceived.class, before + 1).get(before).message().id();
        return new MessageRef(direct(alice), alice.peerId(), id);
    }

    /** Alice's message {@code id} once Bob has it, as Bob names it. */
    MessageRef received(MessageId id) throws InterruptedException {
        bob.events.await(EngineEvent.MessageReceived.class, event -> event.message().id().equals(id));
        return new MessageRef(direct(alice), alice.peerId(), id);
    }

    static ConversationRef direct(TestEngine peer) {
        return new ConversationRef.Direct(peer.peerId());
    }

    /** Waits until Bob's transfer of {@code message} reports {@code state}. */
    FileTransfer awaitState(MessageRef message, FileTransfer.State state) throws InterruptedException {
        return bob.events.await(EngineEvent.FileProgress.class, progress -> progress.message().equals(message)
                && progress.transfer().state() == state).transfer();
    }
}
