package dev.bazaar.messaging;

/**
 * Maps a service's own exceptions to standard service errors, so that domain code need not know about NATS.
 * Returning {@code null} leaves the error to the defaults ({@link ServiceErrorException} as is, anything else 500).
 */
@FunctionalInterface
public interface ErrorMapper {
    ServiceError map(Throwable error);
}
