package dev.bazaar.notifications;

import java.util.Comparator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A hand-written fake of the repository port: one notification per event id, like the real guard. */
public final class InMemoryNotificationRepository implements NotificationRepository {
    /** PostgreSQL's order of uuids: by their bytes, unsigned (Java's {@code UUID.compareTo} is signed). */
    private static final Comparator<UUID> BYTE_ORDER = Comparator
            .comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);
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
                        || n.createdAt().equals(beforeAt) && BYTE_ORDER.compare(n.id(), beforeId) < 0)
                .sorted(Comparator.comparing(Notification::createdAt)
                        .thenComparing(Notification::id, BYTE_ORDER).reversed())
                .limit(limit)
                .toList();
    }
}
