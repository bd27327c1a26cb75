package dev.bazaar.notifications;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where notifications are kept. */
public interface NotificationRepository {
    /**
     * Stores {@code notification} unless its event was handled before; the check and the insert are one transaction.
     *
     * @return true when stored, false when the event had been handled already (nothing written)
     */
    boolean insertOnce(Notification notification);

    /** The customer's latest notifications, newest first. */
    List<Notification> recent(String customerId, Instant beforeAt, UUID beforeId, int limit);
}
