package dev.bazaar.notifications;

import java.util.UUID;

/**
 * What happened to an order, as notifications needs it: the event's id, the order, its customer ({@code null} while
 * orders are anonymous), the new status and, for a cancellation, the reason.
 */
public record OrderUpdate(UUID eventId, UUID orderId, String customerId, NotificationStatus status, String reason) {
    /** The longest cancellation reason quoted to the customer. */
    static final int MAX_REASON = 200;

    /** The text the customer reads, e.g. {@code Your order 3f2a9c1e was confirmed.} */
    public String message() {
        String order = "Your order " + reference(orderId);
        return switch (status) {
            case PLACED -> order + " was placed.";
            case CONFIRMED -> order + " was confirmed.";
            case CANCELLED -> reason == null || reason.isBlank()
                    ? order + " was cancelled."
                    : order + " was cancelled: " + sentence(reason);
        };
    }

    /** The short order reference customers see: the first block of the order id. */
    static String reference(UUID orderId) {
        return orderId.toString().substring(0, 8);
    }

    /** The reason on one line, at most {@value #MAX_REASON} characters, ending as a sentence does. */
    private static String sentence(String reason) {
        String line = reason.strip().replaceAll("\\s+", " ");
        if (line.length() > MAX_REASON) {
            return line.substring(0, MAX_REASON - 1) + "…";
        }
        return line.matches(".*[.!?]$") ? line : line + ".";
    }
}
