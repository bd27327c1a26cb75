package dev.bazaar.notifications;

/** The order status a notification tells the customer about. */
public enum NotificationStatus {
    PLACED,
    CONFIRMED,
    CANCELLED
}
