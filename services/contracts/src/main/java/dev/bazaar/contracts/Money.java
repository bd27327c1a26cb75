package dev.bazaar.contracts;

import java.util.Currency;

/**
 * An amount of money in minor units (cents) of an ISO 4217 currency: {@code {"amount":1999,"currency":"EUR"}}.
 * Integers, never floating point.
 */
public record Money(long amount, String currency) {
    /** True for an upper-case ISO 4217 code the JDK knows, such as {@code EUR}. */
    public static boolean isCurrencyCode(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
