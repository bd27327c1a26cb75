package dev.bazaar.observability;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.opentelemetry.api.OpenTelemetry;

/**
 * One SERVER span per HTTP request handled by a Helidon WebServer, following the HTTP semantic conventions.
 * <p>
 * The span is named after the route template ({@code GET /orders/{id}}), or just the method when no route matched
 * (404). Its parent is the W3C {@code traceparent} of the request, and it is the current span while the handler
 * runs, so NATS and SQL spans started by the handler become its children. 5xx responses set status ERROR, 4xx do not.
 */
public final class HttpTracing {
    private HttpTracing() {
    }

    /**
     * The filter creating the SERVER span; register it first with {@code routing.addFilter(...)} so that it also sees
     * requests that later filters (security) reject.
     * <p>
     * On its own the filter cannot see an exception thrown by a route handler: Helidon turns it into a 500 response
     * before control returns to any filter. The span still gets status ERROR from the 500; to also record the
     * exception, use {@link #install(HttpRouting.Builder, OpenTelemetry)}, or call
     * {@link #recordException(ServerRequest, Throwable)} from the service's own error handler.
     */
    public static Filter serverFilter(OpenTelemetry openTelemetry) {
        return new ServerSpanFilter(openTelemetry);
    }

    /**
     * Adds {@link #serverFilter(OpenTelemetry)} and an error handler for {@link Throwable} that records the exception
     * on the request's span, then leaves the response to Helidon's default error handling (500, or the status of an
     * {@code HttpException}). Error handlers the service registers for more specific exception types take precedence
     * over this one, as usual in Helidon.
     */
    public static HttpRouting.Builder install(HttpRouting.Builder routing, OpenTelemetry openTelemetry) {
        return routing.addFilter(serverFilter(openTelemetry))
                .error(Throwable.class, new ExceptionRecorder());
    }

    /**
     * Records {@code failure} as an exception event on the request's SERVER span, for a service's own error handler
     * (one that maps unexpected exceptions to a 500 body) to call before answering. Does nothing when the request has
     * no span from {@link #serverFilter(OpenTelemetry)}, or for an {@code HttpException} with a 4xx status.
     * The span's status follows the response status the handler then sends.
     */
    public static void recordException(ServerRequest request, Throwable failure) {
        ServerSpanFilter.recordException(request, failure);
    }
}
