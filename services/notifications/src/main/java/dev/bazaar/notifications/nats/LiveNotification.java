package dev.bazaar.notifications.nats;

import dev.bazaar.notifications.Notification;
import dev.bazaar.notifications.NotificationStatus;

import java.time.Instant;
import java.util.UUID;

/** The payload on {@code notifications.live.<customer>}: a notification just stored. */
public record LiveNotification(UUID id, UUID eventId, String customerId, UUID orderId, String status,
                               String message, Instant createdAt) {
    static LiveNotification of(Notification n) {
        return new LiveNotification(n.id(), n.eventId(), n.customerId(), n.orderId(), n.status().name(), n.message(),
                n.createdAt());
    }

    Notification toNotification() {
        if (id == null || customerId == null || orderId == null || status == null) {
            throw new IllegalArgumentException("a live notification needs id, customerId, orderId and status");
        }
        return new Notification(id, eventId, customerId, orderId, NotificationStatus.valueOf(status), message,
                createdAt);
    }
}
