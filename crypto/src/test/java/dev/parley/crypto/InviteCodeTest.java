package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.parley.crypto.wire.CardProtos;
import dev.parley.transport.multiformats.Multiaddr;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class InviteCodeTest {
    private static final Identity ALICE = Identity.generate();
    private static final ContactCard CARD = ContactCard.create(ALICE, "Alice");
    private static final List<Multiaddr> ADDRESSES = List.of(
            Multiaddr.parse("/ip4/10.200.1.23/tcp/4001"),
            Multiaddr.parse("/ip6/2001:db8::17/tcp/4001"),
            Multiaddr.parse("/ip4/203.0.113.9/tcp/4001"));

    @Test
    void roundTripsInBothCases() throws Exception {
        InviteCode invite = InviteCode.create(CARD, ADDRESSES);

        for (String text : List.of(invite.toText(), invite.toQrText())) {
            InviteCode parsed = InviteCode.parse(text);
            assertThat(parsed.card()).isEqualTo(CARD);
            assertThat(parsed.addresses()).isEqualTo(ADDRESSES);
            assertThat(parsed).isEqualTo(invite);
        }
        assertThat(invite.toText()).startsWith("parley:").isEqualTo(invite.toText().toLowerCase(Locale.ROOT));
        assertThat(invite.toQrText()).startsWith("PARLEY:").matches("[A-Z0-9:]+");
    }

    @Test
    void compactEnoughForAQrCode() {
        // QR version 25 holds 1,269 alphanumeric characters at level M; a code with a name and 3 addresses
        // is far below that.
        assertThat(InviteCode.create(CARD, ADDRESSES).toText().length()).isLessThan(400);
    }

    @Test
    void mixedCaseAndLineBreaksParse() throws Exception {
        String text = InviteCode.create(CARD, ADDRESSES).toText();
        String mangled = "  " + text.substring(0, 40).toUpperCase(Locale.ROOT) + "\n" + text.substring(40, 90)
                + " \r\n\t" + text.substring(90) + "\n";

        assertThat(InviteCode.parse(mangled).card()).isEqualTo(CARD);
    }

    @Test
    void everyTruncationIsAnError() {
        String text = InviteCode.create(CARD, ADDRESSES).toText();

        for (int length = 0; length < text.length(); length++) {
            String truncated = text.substring(0, length);
            assertThatThrownBy(() -> InviteCode.parse(truncated))
                    .as("code cut to %d characters", length)
                    .isInstanceOf(InvalidInviteException.class);
        }
    }

    @Test
    void everySingleMistypedCharacterIsAnError() {
        String text = InviteCode.create(CARD, ADDRESSES).toText();
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";

        for (int at = InviteCode.PREFIX.length(); at < text.length(); at++) {
            char original = text.charAt(at);
            char typo = alphabet.charAt((alphabet.indexOf(original) + 1 + at % 31) % alphabet.length());
            String mistyped = text.substring(0, at) + typo + text.substring(at + 1);
            assertThatThrownBy(() -> InviteCode.parse(mistyped))
                    .as("typo at %d", at)
                    .isInstanceOf(InvalidInviteException.class)
                    .hasMessageContaining("mistyped or incomplete");
        }
    }

    @Test
    void twoSwappedCharactersAreAnError() {
        String text = InviteCode.create(CARD, ADDRESSES).toText();
        int at = text.length() / 2;
        while (text.charAt(at) == text.charAt(at + 1)) {
            at++;
        }
        String swapped = text.substring(0, at) + text.charAt(at + 1) + text.charAt(at) + text.substring(at + 2);

        assertThatThrownBy(() -> InviteCode.parse(swapped)).isInstanceOf(InvalidInviteException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void otherTextIsNotAnInvite() {
        assertThatThrownBy(() -> InviteCode.parse("https://example.org/")).isInstanceOf(InvalidInviteException.class)
                .hasMessageContaining("starts with 'parley:'");
        assertThatThrownBy(() -> InviteCode.parse("parley:" + "a".repeat(InviteCode.MAX_TEXT)))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> InviteCode.parse("parley:abc!defg"))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("'!'");
    }

    @Test
    void tooManyAddressesAreRefusedOnBothSides() {
        List<Multiaddr> seventeen = Collections.nCopies(17, ADDRESSES.get(0));
        assertThatThrownBy(() -> InviteCode.create(CARD, seventeen)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 16 addresses, got 17");

        CardProtos.Invite.Builder invite = CardProtos.Invite.newBuilder().setCard(ByteString.copyFrom(CARD.encode()));
        seventeen.forEach(address -> invite.addAddresses(ByteString.copyFrom(address.bytes())));
        String text = InviteCode.text(invite.build().toByteArray());
        assertThatThrownBy(() -> InviteCode.parse(text)).isInstanceOf(InvalidInviteException.class)
                .hasMessageContaining("carries 17 addresses");
    }

    @Test
    void anInvalidAddressIsNamed() {
        CardProtos.Invite invite = CardProtos.Invite.newBuilder()
                .setCard(ByteString.copyFrom(CARD.encode()))
                .addAddresses(ByteString.copyFrom(ADDRESSES.get(0).bytes()))
                .addAddresses(ByteString.copyFrom(new byte[] {(byte) 0x7f, 1}))
                .build();

        assertThatThrownBy(() -> InviteCode.parse(InviteCode.text(invite.toByteArray())))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("address 2 is invalid");
    }

    @Test
    void anInvalidCardInsideIsAnInviteError() throws Exception {
        CardProtos.SignedCard card = CardProtos.SignedCard.parseFrom(CARD.encode());
        byte[] forged = card.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build().toByteArray();
        CardProtos.Invite invite = CardProtos.Invite.newBuilder().setCard(ByteString.copyFrom(forged)).build();

        assertThatThrownBy(() -> InviteCode.parse(InviteCode.text(invite.toByteArray())))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("invalid card");
    }

    @Test
    void overlongAddressListsAreRefusedWhenCreating() {
        Multiaddr longAddress = Multiaddr.parse("/dns/" + "a".repeat(250) + ".example/tcp/4001");

        assertThatThrownBy(() -> InviteCode.create(CARD, Collections.nCopies(16, longAddress)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer or shorter addresses");
    }
}
