package dev.bazaar.identity;

import dev.bazaar.contracts.Failure;

import java.util.Locale;
import java.util.regex.Pattern;

/** E-mail addresses as identity stores and compares them: trimmed, lower case, and plausibly shaped. */
public final class EmailAddress {
    public static final int MAX_LENGTH = 254;
    // Deliberately loose: one @, no spaces, a dot in the domain. Only a confirmation mail could prove more.
    private static final Pattern SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");

    private EmailAddress() {
    }

    /** The normalized address, or a 400 {@link Failure} when it is missing or malformed. */
    public static String normalize(String email) {
        if (email == null || email.isBlank()) {
            throw Failure.invalid("email is required");
        }
        String normalized = email.trim().toLowerCase(Locale.ROOT);
        if (normalized.length() > MAX_LENGTH || !SHAPE.matcher(normalized).matches()) {
            throw Failure.invalid("email is not a valid address");
        }
        return normalized;
    }
}
