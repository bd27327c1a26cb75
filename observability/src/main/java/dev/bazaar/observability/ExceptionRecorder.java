package dev.bazaar.observability;

import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Error handler of last resort that records an unhandled exception on the request's SERVER span.
 * <p>
 * It does not write a response itself: it throws, and Helidon's {@code ErrorHandlers} then falls back to its default
 * handling of the original exception, exactly as if no handler were registered (500 with the configured body, or the
 * status of an {@code HttpException}).
 */
final class ExceptionRecorder implements ErrorHandler<Throwable> {
    @Override
    public void handle(ServerRequest request, ServerResponse response, Throwable failure) {
        ServerSpanFilter.recordException(request, failure);
        throw UseDefaultHandling.INSTANCE;
    }

    /** Thrown to hand the original exception back to Helidon; carries no stack trace, as it is never reported. */
    private static final class UseDefaultHandling extends RuntimeException {
        private static final UseDefaultHandling INSTANCE = new UseDefaultHandling();

        private UseDefaultHandling() {
            super("exception recorded on the server span, continuing with Helidon's default handling", null,
                    false, false);
        }
    }
}
