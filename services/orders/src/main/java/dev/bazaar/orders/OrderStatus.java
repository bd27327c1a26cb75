package dev.bazaar.orders;

/** Where an order is in its life: {@code PLACED} → {@code CONFIRMED} | {@code CANCELLED}. */
public enum OrderStatus {
    PLACED,
    CONFIRMED,
    CANCELLED
}
