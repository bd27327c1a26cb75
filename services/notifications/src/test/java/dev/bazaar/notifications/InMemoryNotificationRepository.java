package dev.bazaar.notifications;

import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A hand-written fake of the repository port: one notification per event id, like the real guard. */
public final class InMemoryNotificationRepository implements NotificationRepository {
    public final Map<UUID, Notification> byEvent = new ConcurrentHashMap<>();

    @Override
    public boolean insertOnce(Notification notification) {
        return byEvent.putIfAbsent(notification.eventId(), notification) == null;
    }

    @Override
    public List<Notification> recent(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        return byEvent.values().stream()
                .filter(n -> n.customerId().equals(customerId))
                .filter(n -> beforeAt == null || n.createdAt().isBefore(beforeAt)
                        || n.createdAt().equals(beforeAt) && n.id().compareTo(beforeId) < 0)
                .sorted(Comparator.comparing(Notification::createdAt).thenComparing(Notification::id).reversed())
                .limit(limit)
                .toList();
    }
}
