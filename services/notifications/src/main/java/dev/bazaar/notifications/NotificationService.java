package dev.bazaar.notifications;

import dev.bazaar.contracts.Failure;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Notifications' use cases: turn order updates into stored notifications, push them live, list them. */
public final class NotificationService {
    /** Whose notifications they are while orders carry no customer (until identity exists). */
    public static final String ANONYMOUS = "anonymous";
    static final int MAX_CUSTOMER_ID = 200;
    private static final Logger LOG = Logger.getLogger(NotificationService.class.getName());

    private final NotificationRepository notifications;
    private final LivePublisher live;
    private final Clock clock;
    private final Supplier<UUID> ids;

    public NotificationService(NotificationRepository notifications, LivePublisher live, Clock clock,
                               Supplier<UUID> ids) {
        this.notifications = notifications;
        this.live = live;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Stores the customer's notification for {@code update} once per event id, then (after the commit) pushes it
     * live. The live push is best effort: the notification is stored either way, and a client that missed it finds
     * it in {@link #recent}.
     *
     * @return the notification stored, or null when this event had been handled already
     * @throws Failure {@code INVALID} when the update lacks its event id, order id or status (retrying cannot help)
     */
    public Notification notifyCustomer(OrderUpdate update) {
        if (update.eventId() == null || update.orderId() == null || update.status() == null) {
            throw Failure.invalid("an order event needs eventId, orderId and a status");
        }
        String customer = update.customerId() == null || update.customerId().isBlank()
                ? ANONYMOUS : update.customerId();
        Notification notification = new Notification(ids.get(), update.eventId(), customer, update.orderId(),
                update.status(), update.message(), clock.instant());
        if (!notifications.insertOnce(notification)) {
            return null;
        }
        try {
            live.publish(notification);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "live push of notification " + notification.id() + " failed; it is stored", e);
        }
        return notification;
    }

    /**
     * Up to {@code limit} of the customer's notifications, newest first, after the {@code (beforeAt, beforeId)} of
     * the previous page when given (the route checks the limit, see {@code Pages}).
     */
    public List<Notification> recent(String customerId, Instant beforeAt, UUID beforeId, int limit) {
        return notifications.recent(checkedCustomer(customerId), beforeAt, beforeId, limit);
    }

    /** A customer id as callers may name it: 1..{@value #MAX_CUSTOMER_ID} characters. */
    public static String checkedCustomer(String customerId) {
        if (customerId == null || customerId.isBlank()) {
            throw Failure.invalid("customerId is required");
        }
        if (customerId.length() > MAX_CUSTOMER_ID) {
            throw Failure.invalid("customerId must be at most " + MAX_CUSTOMER_ID + " characters");
        }
        return customerId;
    }
}
