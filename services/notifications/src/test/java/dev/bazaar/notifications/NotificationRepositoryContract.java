package dev.bazaar.notifications;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link NotificationRepository} guarantees; run against the fake and against PostgreSQL. */
abstract class NotificationRepositoryContract {
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    final String customer = "customer-" + UUID.randomUUID();

    abstract NotificationRepository repository();

    @Test
    void storesOneNotificationPerEvent() {
        Notification first = notification(UUID.randomUUID(), customer, now);
        Notification redelivered = new Notification(UUID.randomUUID(), first.eventId(), customer, first.orderId(),
                NotificationStatus.PLACED, "again", now.plusSeconds(1));

        assertThat(repository().insertOnce(first)).isTrue();
        assertThat(repository().insertOnce(redelivered)).isFalse();

        assertThat(repository().recent(customer, null, null, 10)).containsExactly(first);
    }

    @Test
    void listsACustomersNotificationsNewestFirstAPageAfterTheLastSeen() {
        Notification oldest = notification(UUID.randomUUID(), customer, now.minusSeconds(2));
        Notification middle = notification(UUID.randomUUID(), customer, now.minusSeconds(1));
        Notification newest = notification(UUID.randomUUID(), customer, now);
        List.of(middle, oldest, newest).forEach(repository()::insertOnce);
        repository().insertOnce(notification(UUID.randomUUID(), "customer-" + UUID.randomUUID(), now));

        assertThat(repository().recent(customer, null, null, 2)).containsExactly(newest, middle);
        assertThat(repository().recent(customer, middle.createdAt(), middle.id(), 2)).containsExactly(oldest);
    }

    @Test
    void breaksATieInTimeByIdDescendingInByteOrder() {
        // PostgreSQL orders uuids by their bytes, unsigned (Java's UUID.compareTo is signed)
        Notification low = notification(new UUID(0x7fL << 56, 1), customer, now);
        Notification high = notification(new UUID(0x80L << 56, 0), customer, now);
        repository().insertOnce(low);
        repository().insertOnce(high);

        assertThat(repository().recent(customer, null, null, 10)).containsExactly(high, low);
        assertThat(repository().recent(customer, now, high.id(), 10)).containsExactly(low);
    }

    static Notification notification(UUID id, String customer, Instant at) {
        return new Notification(id, UUID.randomUUID(), customer, UUID.randomUUID(), NotificationStatus.PLACED,
                "Order placed", at);
    }
}
