package dev.bazaar.contracts.orders;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * The payment token of {@link OrderPlaced}, sealed by orders for payments only: AES-256-GCM under a key the two share
 * ({@code orders.payment-token-key}, {@code payments.payment-token-key}: 32 bytes in base64, from the environment),
 * a random 96-bit nonce, and the order id as associated data (a sealed token copied into another order does not
 * open). Catalog and notifications, which read every {@code orders.events.>} message, and whoever reads the stream
 * or a dead letter in the 7 days they are kept, see only {@code sealed.v1.<base64url>}. A value without that prefix
 * is an event written before sealing existed and is taken as it is (only orders may publish on that subject).
 */
public final class PaymentTokenSeal {
    /** LOCAL DEVELOPMENT DEFAULT ONLY (the services' application.yaml lists it under local-defaults). */
    public static final String LOCAL_KEY = "bG9jYWwtcGF5bWVudC10b2tlbi1rZXktbm90LXNlY3I=";
    private static final String PREFIX = "sealed.v1.";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public PaymentTokenSeal(String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the payment-token key must be base64 (32 random bytes)");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException("the payment-token key must be 32 bytes (AES-256) in base64");
        }
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /** {@code token} sealed for {@code orderId}; null stays null (no token given). */
    public String seal(UUID orderId, String token) {
        if (token == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, orderId, nonce).doFinal(token.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * The token {@code value} holds for {@code orderId}: opened when sealed, as it is otherwise.
     *
     * @throws IllegalArgumentException when it is sealed but does not open (another key, another order, altered)
     */
    public String open(UUID orderId, String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            return value;
        }
        try {
            byte[] raw = Base64.getUrlDecoder().decode(value.substring(PREFIX.length()));
            if (raw.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("sealed payment token is too short");
            }
            byte[] nonce = java.util.Arrays.copyOf(raw, NONCE_BYTES);
            return new String(cipher(Cipher.DECRYPT_MODE, orderId, nonce).doFinal(raw, NONCE_BYTES,
                    raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("sealed payment token does not open: another key or another order");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed payment token is malformed");
        }
    }

    private Cipher cipher(int mode, UUID orderId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(orderId.toString().getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
