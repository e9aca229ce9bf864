package dev.parley.transport.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class CipherStateTest {
    private static final byte[] KEY = new byte[CipherState.KEY_SIZE];

    static {
        Arrays.fill(KEY, (byte) 0x42);
    }

    @Test
    void decryptsInPlaceWhatItEncryptedInPlace() throws Exception {
        byte[] buffer = Arrays.copyOf("in place".getBytes(), 8 + NoiseFrame.TAG_SIZE);

        int sealed = new CipherState(KEY).encrypt(null, buffer, 0, 8, buffer, 0);
        int opened = new CipherState(KEY).decrypt(null, buffer, 0, sealed, buffer, 0);

        assertThat(sealed).isEqualTo(8 + NoiseFrame.TAG_SIZE);
        assertThat(new String(buffer, 0, opened)).isEqualTo("in place");
    }

    @Test
    void aMessageOpensOnlyUnderItsOwnNonce() throws Exception {
        CipherState sender = new CipherState(KEY);
        byte[] first = seal(sender, "first");
        byte[] second = seal(sender, "second");
        CipherState receiver = new CipherState(KEY);

        // Second before first: the receiver still expects nonce 0.
        assertThatThrownBy(() -> receiver.decrypt(null, second, 0, second.length, new byte[second.length], 0))
                .isInstanceOf(AEADBadTagException.class);
        assertThat(receiver.decrypt(null, first, 0, first.length, new byte[first.length], 0)).isEqualTo(5);
        assertThat(receiver.decrypt(null, second, 0, second.length, new byte[second.length], 0)).isEqualTo(6);
    }

    @Test
    void refusesToUseTheReservedLastNonce() throws Exception {
        // 2^64 - 2 is the last usable nonce; the next, 2^64 - 1, is reserved and must not wrap to 0.
        CipherState sender = new CipherState(KEY, -2L);
        CipherState receiver = new CipherState(KEY, -2L);
        byte[] last = seal(sender, "last");

        assertThat(receiver.decrypt(null, last, 0, last.length, new byte[last.length], 0)).isEqualTo(4);
        assertThatThrownBy(() -> seal(sender, "one too many"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nonce exhausted");
        assertThatThrownBy(() -> receiver.decrypt(null, last, 0, last.length, new byte[last.length], 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nonce exhausted");
    }

    private static byte[] seal(CipherState cipher, String text) throws IOException {
        byte[] plaintext = text.getBytes();
        byte[] out = new byte[plaintext.length + NoiseFrame.TAG_SIZE];
        cipher.encrypt(null, plaintext, 0, plaintext.length, out, 0);
        return out;
    }
}
