package dev.bazaar.notifications.http;

import dev.bazaar.notifications.LiveFeed;
import dev.bazaar.notifications.Notification;

import java.time.Duration;

/**
 * The life of one live client: send each notification of its subscription, a keep-alive whenever nothing was sent
 * for {@code keepAlive}, until the subscription ends or a write fails. A client that left is only noticed when a
 * write fails, so the keep-alive is also what bounds how long a departed client stays subscribed.
 */
final class LiveStream {
    /** Where a stream writes; a write that throws means the client has gone. */
    interface Client {
        void send(Notification notification);

        void keepAlive();
    }

    private LiveStream() {
    }

    /** Runs until the stream is over and says why. */
    static String run(LiveFeed.Subscription subscription, Client client, Duration keepAlive)
            throws InterruptedException {
        try {
            while (true) {
                switch (subscription.next(keepAlive)) {
                    case LiveFeed.Next.Delivered delivered -> client.send(delivered.notification());
                    case LiveFeed.Next.Idle idle -> client.keepAlive();
                    case LiveFeed.Next.Ended ended -> {
                        return ended.reason();
                    }
                }
            }
        } catch (RuntimeException e) {
            return "the client went away (" + e.getClass().getSimpleName() + ")";
        }
    }
}
