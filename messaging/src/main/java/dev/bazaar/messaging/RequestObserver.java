package dev.bazaar.messaging;

import java.time.Duration;

/**
 * Told about every request a {@link RequestClient} sent: the subject, how long it took and how it ended. Lets a
 * service bind request-reply numbers to its metrics without this library depending on a metrics API. Called on the
 * requesting thread: keep it cheap and never throw.
 */
@FunctionalInterface
public interface RequestObserver {
    /** Outcome of a request that got a decodable reply. */
    String OK = "ok";

    /**
     * @param subject the subject the request went to
     * @param elapsed from sending to the reply (or failure)
     * @param outcome {@link #OK}, or the simple name of the {@link MessagingException} subclass it failed with
     *                ({@code RequestTimeoutException}, {@code NoRespondersException}, {@code RemoteErrorException}, ...)
     */
    void completed(String subject, Duration elapsed, String outcome);

    /** Observes nothing (the default). */
    RequestObserver NONE = (subject, elapsed, outcome) -> { };
}
