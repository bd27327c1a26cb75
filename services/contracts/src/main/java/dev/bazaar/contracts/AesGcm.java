package dev.bazaar.contracts;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one AES-256-GCM seal of the project (the payment token orders seals for payments, identity's signing keys at
 * rest): a 32-byte key given in base64, a random 96-bit nonce per seal, a 128-bit tag, and associated data that binds
 * the sealed value to what it belongs to (a value copied elsewhere does not open). Sealed form: {@code nonce |
 * ciphertext+tag}. Plain JDK, so that the contract module stays free of dependencies.
 */
public final class AesGcm {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private AesGcm(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The seal under {@code base64Key}.
     *
     * @param name what the key is called in messages (its configuration key)
     * @throws IllegalArgumentException when the key is not base64 of 32 bytes
     */
    public static AesGcm withKey(String base64Key, String name) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be base64 (32 random bytes)");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException(name + " must be 32 bytes (AES-256) in base64, not " + bytes.length);
        }
        return new AesGcm(bytes);
    }

    /** {@code plaintext} sealed for {@code associatedData}: {@code nonce | ciphertext+tag}. */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData).doFinal(plaintext);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * Opens what {@link #seal} returned, found in {@code input} from {@code offset} on.
     *
     * @throws javax.crypto.AEADBadTagException when it does not open (another key, other associated data, altered)
     * @throws GeneralSecurityException         when it is too short to be sealed
     */
    public byte[] open(byte[] input, int offset, byte[] associatedData) throws GeneralSecurityException {
        if (input.length - offset <= NONCE_BYTES) {
            throw new GeneralSecurityException("too short to be sealed");
        }
        byte[] nonce = Arrays.copyOfRange(input, offset, offset + NONCE_BYTES);
        return cipher(Cipher.DECRYPT_MODE, nonce, associatedData)
                .doFinal(input, offset + NONCE_BYTES, input.length - offset - NONCE_BYTES);
    }

    private Cipher cipher(int mode, byte[] nonce, byte[] associatedData) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        return cipher;
    }
}
