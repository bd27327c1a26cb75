package dev.bazaar.catalog;

/**
 * Whether an order's stock is committed to it ({@link ReservationRepository#commit}): {@code retaken} when its hold
 * had lapsed and the stock was taken again; {@code reason} says why not when it is not.
 */
public record Commitment(boolean committed, boolean retaken, String reason) {
    public static Commitment refused(String reason) {
        return new Commitment(false, false, reason);
    }
}
