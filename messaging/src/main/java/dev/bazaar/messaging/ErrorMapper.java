package dev.bazaar.messaging;

/**
 * Maps a service's own exceptions to standard service errors, so that domain code need not know about NATS.
 * Returning {@code null} makes it a 500 (internal error; logged, never sent).
 */
@FunctionalInterface
public interface ErrorMapper {
    ServiceError map(Throwable error);
}
