package dev.bazaar.notifications;

import java.time.Instant;
import java.util.UUID;

/**
 * One message to one customer about one order event. {@code eventId} is the event it came from: a customer gets at
 * most one notification per event, however often the event is delivered.
 */
public record Notification(UUID id, UUID eventId, String customerId, UUID orderId, NotificationStatus status,
                           String message, Instant createdAt) {
}
