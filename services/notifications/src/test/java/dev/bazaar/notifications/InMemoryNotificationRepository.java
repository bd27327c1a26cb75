package dev.bazaar.notifications;

import java.util.Comparator;
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
    public List<Notification> recent(String customerId, int limit) {
        return byEvent.values().stream()
                .filter(n -> n.customerId().equals(customerId))
                .sorted(Comparator.comparing(Notification::createdAt).thenComparing(Notification::id).reversed())
                .limit(limit)
                .toList();
    }
}
