package dev.parley.crypto.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkTreeTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The leaves and tree heads Certificate Transparency's implementations are checked against (RFC 6962). */
    private static final List<String> REFERENCE_LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f");
    private static final List<String> REFERENCE_ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void everyTreeHeadOfTheReferenceLeavesIsRfc6962s() {
        for (int size = 0; size <= REFERENCE_LEAVES.size(); size++) {
            assertThat(HEX.formatHex(ChunkTree.root(leafHashes(REFERENCE_LEAVES.subList(0, size)))))
                    .as("tree of %d leaves", size).isEqualTo(REFERENCE_ROOTS.get(size));
        }
    }

    @Test
    void theRootOfAnUnevenTreeIsTheRecursiveDefinitions() {
        // RFC 9162 defines the root recursively: split at the largest power of two below n. Checked against that
        // definition, written out plainly, for every size up to 70 (every shape of ragged right edge).
        ByteArrayOutputStream leaves = new ByteArrayOutputStream();
        for (int size = 1; size <= 70; size++) {
            byte[] leaf = ChunkTree.leafHash(new byte[] {(byte) size, 7}, 0, 2);
            leaves.writeBytes(leaf);
            byte[] all = leaves.toByteArray();
            assertThat(ChunkTree.root(all)).as("tree of %d leaves", size).isEqualTo(recursiveRoot(all, 0, size));
        }
    }

    @Test
    void anyChangedLeafOrALeafMoreOrLessChangesTheRoot() {
        byte[] leaves = leafHashes(REFERENCE_LEAVES);
        byte[] root = ChunkTree.root(leaves);
        for (int i = 0; i < leaves.length; i += 5) {
            byte[] changed = leaves.clone();
            changed[i] ^= 1;
            assertThat(ChunkTree.root(changed)).isNotEqualTo(root);
        }
        assertThat(ChunkTree.root(java.util.Arrays.copyOf(leaves, leaves.length - ChunkTree.HASH_SIZE)))
                .isNotEqualTo(root);
        byte[] longer = java.util.Arrays.copyOf(leaves, leaves.length + ChunkTree.HASH_SIZE);
        assertThat(ChunkTree.root(longer)).isNotEqualTo(root);
    }

    @Test
    void leafHashesThatAreNotWholeAreRefused() {
        assertThatThrownBy(() -> ChunkTree.root(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] leafHashes(List<String> leaves) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String leaf : leaves) {
            byte[] data = HEX.parseHex(leaf);
            out.writeBytes(ChunkTree.leafHash(data, 0, data.length));
        }
        return out.toByteArray();
    }

    private static byte[] recursiveRoot(byte[] leaves, int from, int count) {
        if (count == 1) {
            return java.util.Arrays.copyOfRange(leaves, from * 32, from * 32 + 32);
        }
        int split = Integer.highestOneBit(count - 1);
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update((byte) 1);
            digest.update(recursiveRoot(leaves, from, split));
            digest.update(recursiveRoot(leaves, from + split, count - split));
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
