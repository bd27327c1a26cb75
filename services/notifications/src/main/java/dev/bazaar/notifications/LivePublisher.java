package dev.bazaar.notifications;

/**
 * Tells every instance of notifications (this one included) about a notification just stored, so that each pushes
 * it to its own live clients of that customer.
 */
public interface LivePublisher {
    void publish(Notification notification);
}
