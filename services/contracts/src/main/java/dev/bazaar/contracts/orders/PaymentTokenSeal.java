package dev.bazaar.contracts.orders;

import dev.bazaar.contracts.AesGcm;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;

/**
 * The payment token of {@link OrderPlaced}, sealed by orders for payments only: {@link AesGcm} under a key the two share
 * ({@code orders.payment-token-key}, {@code payments.payment-token-key}: 32 bytes in base64, from the environment),
 * a random 96-bit nonce, and the order id as associated data (a sealed token copied into another order does not
 * open). Catalog and notifications, which read every {@code orders.events.>} message, and whoever reads the stream
 * or a dead letter in the 7 days they are kept, see only {@code sealed.v1.<base64url>}. A value without that prefix
 * is an event written before sealing existed and is taken as it is (only orders may publish on that subject).
 */
public final class PaymentTokenSeal {
    private static final String PREFIX = "sealed.v1.";

    private final AesGcm aes;

    public PaymentTokenSeal(String base64Key) {
        this.aes = AesGcm.withKey(base64Key, "the payment-token key");
    }

    /** {@code token} sealed for {@code orderId}; null stays null (no token given). */
    public String seal(UUID orderId, String token) {
        if (token == null) {
            return null;
        }
        byte[] sealed = aes.seal(token.getBytes(StandardCharsets.UTF_8), associatedData(orderId));
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
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
            return new String(aes.open(raw, 0, associatedData(orderId)), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("sealed payment token does not open: another key or another order");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed payment token is malformed");
        }
    }

    private static byte[] associatedData(UUID orderId) {
        return orderId.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
