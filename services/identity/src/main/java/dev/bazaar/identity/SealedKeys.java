package dev.bazaar.identity;

import dev.bazaar.contracts.AesGcm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * Seals signing keys' private halves before they reach the database: {@link AesGcm} under the key-encryption key
 * ({@code identity.key-encryption-key}, 32 bytes in base64, from the environment), a random 96-bit nonce per seal,
 * and the key's {@code kid} as associated data, so a sealed key copied onto another row does not open. A database
 * dump or backup alone holds no usable private key. Stored as {@code 0x01 | nonce | ciphertext+tag}; a value
 * starting with {@code 0x30} is an unsealed PKCS#8 key from before sealing, which identity seals at start.
 */
public final class SealedKeys {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final byte DER_SEQUENCE = 0x30;

    private final AesGcm aes;

    public SealedKeys(String base64Key) {
        this.aes = AesGcm.withKey(base64Key, "identity.key-encryption-key");
    }

    public byte[] seal(String kid, byte[] pkcs8) {
        byte[] sealed = aes.seal(pkcs8, associatedData(kid));
        byte[] out = new byte[1 + sealed.length];
        out[0] = VERSION;
        System.arraycopy(sealed, 0, out, 1, sealed.length);
        return out;
    }

    /** The PKCS#8 key sealed for {@code kid}; fails when the key-encryption key is not the one it was sealed with. */
    public byte[] open(String kid, byte[] stored) {
        if (stored.length < 1 + NONCE_BYTES || stored[0] != VERSION) {
            throw new IllegalStateException("signing key " + kid + " is not sealed");
        }
        try {
            return aes.open(stored, 1, associatedData(kid));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open signing key " + kid
                    + ": identity.key-encryption-key is not the key it was sealed with");
        }
    }

    /** True for a private key stored before sealing existed (plain PKCS#8, a DER sequence). */
    static boolean isUnsealed(byte[] stored) {
        return stored.length > 0 && stored[0] == DER_SEQUENCE;
    }

    private static byte[] associatedData(String kid) {
        return kid.getBytes(StandardCharsets.UTF_8);
    }
}
