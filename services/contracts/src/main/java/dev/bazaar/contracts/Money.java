package dev.bazaar.contracts;

/**
 * An amount of money in minor units (cents) of an ISO 4217 currency: {@code {"amount":1999,"currency":"EUR"}}.
 * Integers, never floating point.
 */
public record Money(long amount, String currency) {
}
