package dev.bazaar.notifications;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OrderUpdateTest {
    static final UUID ORDER = UUID.fromString("3f2a9c1e-0000-4000-8000-000000000001");

    @Test
    void tellsTheCustomerWhatHappenedToTheOrder() {
        assertThat(message(NotificationStatus.PLACED, null)).isEqualTo("Your order 3f2a9c1e was placed.");
        assertThat(message(NotificationStatus.CONFIRMED, null)).isEqualTo("Your order 3f2a9c1e was confirmed.");
        assertThat(message(NotificationStatus.CANCELLED, null)).isEqualTo("Your order 3f2a9c1e was cancelled.");
    }

    @Test
    void quotesACancellationReasonOnOneShortLine() {
        assertThat(message(NotificationStatus.CANCELLED, "payment declined"))
                .isEqualTo("Your order 3f2a9c1e was cancelled: payment declined.");
        assertThat(message(NotificationStatus.CANCELLED, "  card\nexpired.  "))
                .isEqualTo("Your order 3f2a9c1e was cancelled: card expired.");
        assertThat(message(NotificationStatus.CANCELLED, " ")).isEqualTo("Your order 3f2a9c1e was cancelled.");
        String quoted = message(NotificationStatus.CANCELLED, "x".repeat(1000));
        assertThat(quoted).startsWith("Your order 3f2a9c1e was cancelled: xxx").endsWith("x…")
                .hasSize("Your order 3f2a9c1e was cancelled: ".length() + OrderUpdate.MAX_REASON);
    }

    private static String message(NotificationStatus status, String reason) {
        return new OrderUpdate(UUID.randomUUID(), ORDER, null, status, reason).message();
    }
}
