package dev.bazaar.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The project's real NATS accounts, users and permissions ({@code config/nats/auth.conf}, the file {@code make run}
 * uses), for {@link TestNatsServer#start(List)}: each user's password is defined as a config variable ahead of the
 * file's content, so tests need no environment. Passwords are {@code test-<user>}.
 */
public final class ProjectNatsAuth {
    /** The users of {@code auth.conf}. */
    public static final List<String> USERS = List.of("identity", "catalog", "orders", "payments", "notifications", "ops");

    private ProjectNatsAuth() {
    }

    /** Config lines: the password variables, then {@code auth.conf} itself. */
    public static List<String> configLines() {
        List<String> lines = new ArrayList<>();
        for (String user : USERS) {
            lines.add(user.toUpperCase(Locale.ROOT) + "_NATS_PASSWORD: \"" + password(user) + "\"");
        }
        try {
            lines.addAll(Files.readAllLines(authFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The test password of {@code user}. */
    public static String password(String user) {
        return "test-" + user;
    }

    /** The service config keys that make a service connect as {@code user}. */
    public static Map<String, String> serviceConfig(String user) {
        return Map.of("nats.user", user, "nats.password", password(user));
    }

    /** {@code config/nats/auth.conf}, found from the working directory (a module) upwards. */
    public static Path authFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("config/nats/auth.conf");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("config/nats/auth.conf not found above " + Path.of("").toAbsolutePath());
    }
}
