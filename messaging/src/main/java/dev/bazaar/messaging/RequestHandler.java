package dev.bazaar.messaging;

/**
 * Handles one decoded request and returns the reply to encode. Runs on its own virtual thread, so blocking (JDBC,
 * nested requests) is fine; the server span is current, so nested requests join the same trace.
 *
 * @param <Q> request type
 * @param <R> reply type
 */
@FunctionalInterface
public interface RequestHandler<Q, R> {
    R handle(Q request, RequestContext context);
}
