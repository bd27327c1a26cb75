package dev.bazaar.notifications.http;

import dev.bazaar.notifications.Notification;

import java.time.Instant;
import java.util.UUID;

/** A notification on the wire (list items and live events alike). */
public record NotificationBody(UUID id, String customerId, UUID orderId, String status, String message,
                               Instant createdAt) {
    static NotificationBody of(Notification n) {
        return new NotificationBody(n.id(), n.customerId(), n.orderId(), n.status().name(), n.message(),
                n.createdAt());
    }
}
