package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A mailbox letter opens for its owner only, shows nothing of the envelope, and does not survive a change. */
class MailboxLetterTest {
    private static final Identity OWNER = Identity.generate();
    private static final Identity OTHER = Identity.generate();
    private static final ContactCard OWNERS_CARD = ContactCard.create(OWNER, "Owner");

    @Test
    void aLetterOpensForItsOwnerToTheEnvelopeItWraps() throws Exception {
        byte[] envelope = "an envelope naming its sender 12D3KooW".getBytes(StandardCharsets.UTF_8);
        byte[] letter = MailboxLetter.seal(OWNERS_CARD, envelope);

        assertThat(MailboxLetter.open(OWNER, letter)).isEqualTo(envelope);
        assertThat(letter.length - envelope.length).as("what a letter adds (crypto/README.md)").isEqualTo(48);
        assertThat(new String(letter, StandardCharsets.ISO_8859_1)).doesNotContain("12D3KooW");
        assertThat(MailboxLetter.seal(OWNERS_CARD, envelope)).as("sealed again").isNotEqualTo(letter);
    }

    @Test
    void aLetterToSomeoneElseAnAlteredOneAndGarbageDoNotOpen() throws Exception {
        byte[] letter = MailboxLetter.seal(OWNERS_CARD, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> MailboxLetter.open(OTHER, letter)).isInstanceOfSatisfying(EnvelopeException.class,
                e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.DECRYPTION_FAILED));
        for (int i = 0; i < letter.length; i++) {
            byte[] altered = letter.clone();
            altered[i] ^= 0x01;
            assertThatThrownBy(() -> MailboxLetter.open(OWNER, altered)).as("byte %d flipped", i)
                    .isInstanceOf(EnvelopeException.class);
        }
        assertThatThrownBy(() -> MailboxLetter.open(OWNER, new byte[0])).isInstanceOf(EnvelopeException.class);
        assertThatThrownBy(() -> MailboxLetter.open(OWNER, new byte[Envelope.MAX_SIZE + 2048]))
                .isInstanceOfSatisfying(EnvelopeException.class,
                        e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.OVERSIZED));
    }

    @Test
    void aFilePartOpensOnlyAsAFilePartAndAnEnvelopeOnlyAsAnEnvelope() throws Exception {
        byte[] contents = "a piece of a sealed chunk".getBytes(StandardCharsets.UTF_8);
        byte[] part = MailboxLetter.sealFilePart(OWNERS_CARD, contents);
        byte[] letter = MailboxLetter.seal(OWNERS_CARD, contents);

        assertThat(MailboxLetter.openFilePart(OWNER, part)).isEqualTo(contents);
        assertThat(part.length - contents.length).as("what a part's letter adds").isEqualTo(48);
        assertThatThrownBy(() -> MailboxLetter.open(OWNER, part)).isInstanceOfSatisfying(EnvelopeException.class,
                e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.DECRYPTION_FAILED));
        assertThatThrownBy(() -> MailboxLetter.openFilePart(OWNER, letter))
                .isInstanceOfSatisfying(EnvelopeException.class,
                        e -> assertThat(e.reason()).isEqualTo(EnvelopeException.Reason.DECRYPTION_FAILED));
        assertThatThrownBy(() -> MailboxLetter.openFilePart(OTHER, part)).isInstanceOf(EnvelopeException.class);
    }
}
