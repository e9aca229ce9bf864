package dev.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.transport.keys.Ed25519PublicKey;
import org.junit.jupiter.api.Test;

class SafetyNumberTest {
    private static final Ed25519PublicKey ALICE = Identity.generate().publicKey();
    private static final Ed25519PublicKey BOB = Identity.generate().publicKey();

    @Test
    void bothSidesSeeTheSameNumber() {
        SafetyNumber alicesView = SafetyNumber.of(ALICE, BOB);
        SafetyNumber bobsView = SafetyNumber.of(BOB, ALICE);

        assertThat(alicesView).isEqualTo(bobsView);
        assertThat(alicesView.digits()).isEqualTo(bobsView.digits());
        assertThat(alicesView.qrPayload()).isEqualTo(bobsView.qrPayload());
    }

    @Test
    void sixtyDigitsInTwelveGroupsOfFive() {
        SafetyNumber number = SafetyNumber.of(ALICE, BOB);

        assertThat(number.groups()).hasSize(12).allSatisfy(group -> assertThat(group).matches("[0-9]{5}"));
        assertThat(number.digits()).matches("[0-9]{5}( [0-9]{5}){11}");
        assertThat(number.qrPayload()).matches("PARLEY-SN1:[0-9]{60}");
    }

    @Test
    void anotherKeyOnEitherSideGivesAnotherNumber() {
        Ed25519PublicKey mallory = Identity.generate().publicKey();
        SafetyNumber genuine = SafetyNumber.of(ALICE, BOB);

        SafetyNumber bobReplaced = SafetyNumber.of(ALICE, mallory);
        SafetyNumber aliceReplaced = SafetyNumber.of(mallory, BOB);

        assertThat(bobReplaced).isNotEqualTo(genuine);
        assertThat(aliceReplaced).isNotEqualTo(genuine);
        assertThat(bobReplaced.qrPayload()).isNotEqualTo(genuine.qrPayload());
        // Each key has its own 30 digits, so the unchanged key's half is still there.
        String genuineDigits = genuine.qrPayload().substring(SafetyNumber.QR_PREFIX.length());
        assertThat(bobReplaced.qrPayload()).containsAnyOf(genuineDigits.substring(0, 30), genuineDigits.substring(30));
    }

    @Test
    void theSameKeysAlwaysGiveTheSameNumber() {
        Ed25519PublicKey aliceAgain = new Ed25519PublicKey(ALICE.raw());

        assertThat(SafetyNumber.of(aliceAgain, BOB)).isEqualTo(SafetyNumber.of(ALICE, BOB));
    }

}
