package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import io.helidon.webserver.http.ServerRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Cursor pagination, the one way every list route pages: {@code ?limit=} (1..100, default 50) and {@code ?cursor=}
 * (the {@code next} of the previous page, opaque to clients). A cursor is the sort key of the last row served, so a
 * page starts right after it whatever was inserted meanwhile (no offset drift, no deep OFFSET scans).
 */
public final class Pages {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_CURSOR = 512;

    private Pages() {
    }

    /** A newest-first key: a timestamp and the row's id as the tie-break. */
    public record TimeKey(Instant at, UUID id) {
    }

    /** One page: the rows and the cursor of the next page, null on the last. */
    public record Page<T>(List<T> items, String next) {
        /** From up to {@code limit + 1} rows read: the extra one only says that there is a next page. */
        public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
            if (rows.size() <= limit) {
                return new Page<>(rows, null);
            }
            List<T> items = List.copyOf(rows.subList(0, limit));
            return new Page<>(items, cursorOf.apply(items.getLast()));
        }
    }

    /** {@code ?limit=}: 1..100, default 50; anything else is a 400. */
    public static int limit(ServerRequest req) {
        int limit = Requests.intQuery(req, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Failure.invalid("limit must be 1.." + MAX_LIMIT);
        }
        return limit;
    }

    /** The opaque cursor of a text key (e.g. a SKU). */
    public static String cursor(String key) {
        return ENCODER.encodeToString(("s:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The opaque cursor of a time key. */
    public static String cursor(TimeKey key) {
        return ENCODER.encodeToString(("t:" + key.at() + "/" + key.id()).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code ?cursor=} of a text-keyed list; a malformed one is a 400. */
    public static Optional<String> textCursor(ServerRequest req) {
        return decoded(req, "s:");
    }

    /** {@code ?cursor=} of a time-keyed list; a malformed one is a 400. */
    public static Optional<TimeKey> timeCursor(ServerRequest req) {
        return decoded(req, "t:").map(text -> {
            int slash = text.indexOf('/');
            try {
                return new TimeKey(Instant.parse(text.substring(0, Math.max(slash, 0))),
                        UUID.fromString(text.substring(slash + 1)));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw malformed();
            }
        });
    }

    private static Optional<String> decoded(ServerRequest req, String kind) {
        if (!req.query().contains("cursor")) {
            return Optional.empty();
        }
        String cursor = req.query().get("cursor");
        if (cursor.isEmpty() || cursor.length() > MAX_CURSOR) {
            throw malformed();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        if (!text.startsWith(kind) || text.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c == 0xFFFD)) {
            throw malformed();
        }
        return Optional.of(text.substring(kind.length()));
    }

    private static Failure malformed() {
        return Failure.invalid("cursor is malformed: pass the next of the previous page as it was");
    }
}
