package dev.bazaar.identity;

import dev.bazaar.contracts.Failure;

import java.util.Locale;
import java.util.Set;

/**
 * The rules a new password must meet: 12 to 128 characters, not containing the local part of the e-mail address
 * (when it is at least 3 characters long), and not one of a small list of common passwords (compared case-blind).
 * Length is what matters most (NIST SP 800-63B); composition rules are deliberately absent.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;

    // A short built-in list: the 12+ character passwords that top public breach lists.
    private static final Set<String> COMMON = Set.of(
            "123456789012", "1234567890123", "12345678901234", "password1234", "password12345", "passwordpassword",
            "qwertyuiop12", "qwertyuiopasdf", "iloveyou1234", "aaaaaaaaaaaa", "111111111111", "000000000000",
            "abcdefghijkl", "abc123abc123", "letmein12345", "welcome12345", "administrator", "changemenow1",
            "qwerty123456", "1q2w3e4r5t6y", "monkey123456", "football1234", "baseball1234", "superman1234");

    private PasswordPolicy() {
    }

    /** Throws a 400 {@link Failure} naming the first rule {@code password} breaks. */
    public static void check(String password, String normalizedEmail) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw Failure.invalid("password must be at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) {
            throw Failure.invalid("password must be at most " + MAX_LENGTH + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String local = normalizedEmail.substring(0, Math.max(0, normalizedEmail.indexOf('@')));
        if (local.length() >= 3 && lower.contains(local)) {
            throw Failure.invalid("password must not contain the e-mail address");
        }
        if (COMMON.contains(lower)) {
            throw Failure.invalid("password is too common");
        }
    }
}
