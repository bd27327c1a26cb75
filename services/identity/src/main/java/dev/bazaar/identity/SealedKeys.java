package dev.bazaar.identity;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Seals signing keys' private halves before they reach the database: AES-256-GCM under the key-encryption key
 * ({@code identity.key-encryption-key}, 32 bytes in base64, from the environment), a random 96-bit nonce per seal,
 * and the key's {@code kid} as associated data, so a sealed key copied onto another row does not open. A database
 * dump or backup alone holds no usable private key. Stored as {@code 0x01 | nonce | ciphertext+tag}; a value
 * starting with {@code 0x30} is an unsealed PKCS#8 key from before sealing, which identity seals at start.
 */
public final class SealedKeys {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte DER_SEQUENCE = 0x30;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SealedKeys(String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("identity.key-encryption-key must be base64 (32 random bytes)");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("identity.key-encryption-key must be 32 bytes (AES-256) in base64, not "
                    + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    public byte[] seal(String kid, byte[] pkcs8) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, kid, nonce).doFinal(pkcs8);
        byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
        out[0] = VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
        return out;
    }

    /** The PKCS#8 key sealed for {@code kid}; fails when the key-encryption key is not the one it was sealed with. */
    public byte[] open(String kid, byte[] stored) {
        if (stored.length < 1 + NONCE_BYTES || stored[0] != VERSION) {
            throw new IllegalStateException("signing key " + kid + " is not sealed");
        }
        byte[] nonce = Arrays.copyOfRange(stored, 1, 1 + NONCE_BYTES);
        try {
            return cipher(Cipher.DECRYPT_MODE, kid, nonce).doFinal(stored, 1 + NONCE_BYTES,
                    stored.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open signing key " + kid
                    + ": identity.key-encryption-key is not the key it was sealed with");
        }
    }

    /** True for a private key stored before sealing existed (plain PKCS#8, a DER sequence). */
    static boolean isUnsealed(byte[] stored) {
        return stored.length > 0 && stored[0] == DER_SEQUENCE;
    }

    private GcmCipher cipher(int mode, String kid, byte[] nonce) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new GcmCipher(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** A cipher whose encryption failures (impossible with a valid key) are unchecked; decryption's stay checked. */
    private record GcmCipher(Cipher cipher) {
        byte[] doFinal(byte[] input) {
            try {
                return cipher.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM failed", e);
            }
        }

        byte[] doFinal(byte[] input, int offset, int length) throws GeneralSecurityException {
            return cipher.doFinal(input, offset, length);
        }
    }
}
