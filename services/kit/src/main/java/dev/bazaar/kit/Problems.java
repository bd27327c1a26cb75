package dev.bazaar.kit;

import dev.bazaar.contracts.Failure;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.observability.HttpTracing;
import io.helidon.http.HeaderValues;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Translates errors to RFC 9457 {@code application/problem+json} responses, in one place for every service:
 * a {@link Failure} keeps its kind and message; anything else is a logged 500 that shows only the trace id.
 */
public final class Problems {
    private static final Logger LOG = Logger.getLogger(Problems.class.getName());
    private static final io.helidon.http.Header PROBLEM_JSON =
            HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/problem+json");

    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final AtomicLong nextDatabaseWarning = new AtomicLong(System.nanoTime());

    private Problems() {
    }

    /** Registers the error handlers on a routing. */
    public static void register(HttpRouting.Builder routing) {
        routing.error(Failure.class, (req, res, failure) -> send(req, res, failure.kind(), failure.getMessage()))
                .error(Exception.class, Problems::unexpected);
    }

    /** Writes a problem response for {@code kind} with a caller-safe {@code detail}. */
    public static void send(ServerRequest req, ServerResponse res, Failure.Kind kind, String detail) {
        if (res.isSent()) {
            return;
        }
        res.status(Status.create(kind.status()));
        res.header(PROBLEM_JSON);
        if (kind == Failure.Kind.UNAUTHORIZED && !res.headers().contains(HeaderNames.WWW_AUTHENTICATE)) {
            res.header(HeaderNames.WWW_AUTHENTICATE, HttpSecurity.CHALLENGE); // RFC 9110: every 401 has one
        }
        res.send(Problem.of(kind, detail, req.path().absolute().path(), traceId()));
    }

    static void unexpected(ServerRequest req, ServerResponse res, Exception error) {
        HttpTracing.recordException(req, error);
        if (Database.isUnavailable(error)) {
            // Not a bug but an outage (locked table, PostgreSQL away): retry later; one warning per 10 s, not per request.
            long now = System.nanoTime();
            long next = nextDatabaseWarning.get();
            if (now - next >= 0 && nextDatabaseWarning.compareAndSet(next, now + WARN_EVERY_NANOS)) {
                LOG.log(Level.WARNING, "database unavailable on " + req.prologue().method().text() + " "
                        + req.path().absolute().path() + ", answering 503: " + error);
            }
            res.header(HeaderNames.RETRY_AFTER, "1");
            send(req, res, Failure.Kind.UNAVAILABLE, "the database is unavailable; retry later");
            return;
        }
        LOG.log(Level.SEVERE, "unhandled error on " + req.prologue().method().text() + " " + req.path().absolute().path(), error);
        send(req, res, Failure.Kind.INTERNAL, "internal error; quote trace id " + traceId());
    }

    private static String traceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }
}
