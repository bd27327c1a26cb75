package dev.bazaar.notifications.http;

import dev.bazaar.notifications.LiveFeed;
import dev.bazaar.notifications.Notification;
import dev.bazaar.notifications.NotificationStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class LiveStreamTest {
    final LiveFeed feed = new LiveFeed(10);
    final List<String> written = new CopyOnWriteArrayList<>();

    @Test
    void sendsWhatArrivesAndAKeepAliveWhenIdleUntilTheClientLeaves() throws Exception {
        Notification n = notification();
        try (LiveFeed.Subscription subscription = feed.subscribe("ann")) {
            feed.deliver(n);
            String why = LiveStream.run(subscription, new LiveStream.Client() {
                @Override
                public void send(Notification notification) {
                    written.add(notification.id().toString());
                }

                @Override
                public void keepAlive() {
                    written.add("keep-alive");
                    if (written.size() == 3) {
                        throw new java.io.UncheckedIOException(new java.io.IOException("Broken pipe"));
                    }
                }
            }, Duration.ofMillis(1));
            assertThat(why).contains("went away");
        }
        assertThat(written).containsExactly(n.id().toString(), "keep-alive", "keep-alive");
        assertThat(feed.subscribers()).isZero();
    }

    @Test
    void endsWhenTheFeedCloses() throws Exception {
        try (LiveFeed.Subscription subscription = feed.subscribe("ann")) {
            feed.close();
            String why = LiveStream.run(subscription, new LiveStream.Client() {
                @Override
                public void send(Notification notification) {
                }

                @Override
                public void keepAlive() {
                }
            }, Duration.ofSeconds(30));
            assertThat(why).contains("stopping");
        }
    }

    static Notification notification() {
        return new Notification(UUID.randomUUID(), UUID.randomUUID(), "ann", UUID.randomUUID(),
                NotificationStatus.CONFIRMED, "Your order was confirmed.", Instant.now());
    }
}
