package dev.bazaar.notifications;

import dev.bazaar.contracts.Failure;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationServiceTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    final InMemoryNotificationRepository repository = new InMemoryNotificationRepository();
    final List<Notification> pushed = new CopyOnWriteArrayList<>();
    final NotificationService service = new NotificationService(repository, pushed::add,
            Clock.fixed(NOW, ZoneOffset.UTC), UUID::randomUUID);

    @Test
    void storesTheCustomersNotificationAndPushesItLive() {
        UUID order = UUID.randomUUID();
        Notification stored = service.notifyCustomer(new OrderUpdate(UUID.randomUUID(), order, "c-1",
                NotificationStatus.CONFIRMED, null));

        assertThat(stored.customerId()).isEqualTo("c-1");
        assertThat(stored.orderId()).isEqualTo(order);
        assertThat(stored.status()).isEqualTo(NotificationStatus.CONFIRMED);
        assertThat(stored.message()).endsWith("was confirmed.");
        assertThat(stored.createdAt()).isEqualTo(NOW);
        assertThat(repository.byEvent).containsValue(stored);
        assertThat(pushed).containsExactly(stored);
    }

    @Test
    void aRepeatedEventStoresAndPushesNothing() {
        OrderUpdate update = new OrderUpdate(UUID.randomUUID(), UUID.randomUUID(), "c-1", NotificationStatus.PLACED,
                null);
        assertThat(service.notifyCustomer(update)).isNotNull();
        assertThat(service.notifyCustomer(update)).isNull();

        assertThat(repository.byEvent).hasSize(1);
        assertThat(pushed).hasSize(1);
    }

    @Test
    void anOrderWithoutCustomerIsAnonymous() {
        Notification stored = service.notifyCustomer(new OrderUpdate(UUID.randomUUID(), UUID.randomUUID(), null,
                NotificationStatus.PLACED, null));
        assertThat(stored.customerId()).isEqualTo(NotificationService.ANONYMOUS);
    }

    @Test
    void aFailedLivePushStillStoresAndDoesNotFailTheEvent() {
        NotificationService offline = new NotificationService(repository, n -> {
            throw new IllegalStateException("NATS is away");
        }, Clock.systemUTC(), UUID::randomUUID);

        Notification stored = offline.notifyCustomer(new OrderUpdate(UUID.randomUUID(), UUID.randomUUID(), "c-1",
                NotificationStatus.CANCELLED, "payment declined"));

        assertThat(repository.byEvent).containsValue(stored);
    }

    @Test
    void anUpdateMissingItsIdsIsInvalidAndStoresNothing() {
        UUID id = UUID.randomUUID();
        assertInvalid(() -> service.notifyCustomer(new OrderUpdate(null, id, "c", NotificationStatus.PLACED, null)),
                "eventId");
        assertInvalid(() -> service.notifyCustomer(new OrderUpdate(id, null, "c", NotificationStatus.PLACED, null)),
                "orderId");
        assertThat(repository.byEvent).isEmpty();
        assertThat(pushed).isEmpty();
    }

    @Test
    void listsACustomersNotificationsNewestFirstWithinTheLimit() {
        NotificationService ticking = new NotificationService(repository, pushed::add, new Ticking(), UUID::randomUUID);
        for (NotificationStatus status : NotificationStatus.values()) {
            ticking.notifyCustomer(new OrderUpdate(UUID.randomUUID(), UUID.randomUUID(), "c-2", status, null));
        }
        ticking.notifyCustomer(new OrderUpdate(UUID.randomUUID(), UUID.randomUUID(), "someone-else",
                NotificationStatus.PLACED, null));

        assertThat(service.recent("c-2", null, null, 50)).extracting(Notification::status)
                .containsExactly(NotificationStatus.CANCELLED, NotificationStatus.CONFIRMED, NotificationStatus.PLACED);
        assertThat(service.recent("c-2", null, null, 1)).hasSize(1);
    }

    @Test
    void refusesABadListRequest() {
        assertInvalid(() -> service.recent(" ", null, null, 10), "customerId is required");
        assertInvalid(() -> service.recent("c".repeat(201), null, null, 10), "at most 200");
    }

    private static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID))
                .hasMessageContaining(message);
    }

    /** A clock one second further on at each reading. */
    static final class Ticking extends Clock {
        private Instant next = NOW;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            Instant now = next;
            next = next.plusSeconds(1);
            return now;
        }
    }
}
