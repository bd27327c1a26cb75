package dev.bazaar.notifications;

import dev.bazaar.contracts.Failure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveFeedTest {
    static final Duration NO_WAIT = Duration.ZERO;
    final LiveFeed feed = new LiveFeed(3);

    @Test
    void fansANotificationOutToEveryClientOfItsCustomerOnly() throws Exception {
        LiveFeed.Subscription first = feed.subscribe("ann");
        LiveFeed.Subscription second = feed.subscribe("ann");
        LiveFeed.Subscription other = feed.subscribe("bob");
        Notification forAnn = notification("ann");

        feed.deliver(forAnn);

        assertThat(first.next(NO_WAIT)).isEqualTo(new LiveFeed.Next.Delivered(forAnn));
        assertThat(second.next(NO_WAIT)).isEqualTo(new LiveFeed.Next.Delivered(forAnn));
        assertThat(other.next(NO_WAIT)).isEqualTo(new LiveFeed.Next.Idle());
        assertThat(feed.subscribers()).isEqualTo(3);
    }

    @Test
    void aWaitingClientWakesUpWhenItsNotificationArrives() throws Exception {
        LiveFeed.Subscription subscription = feed.subscribe("ann");
        CompletableFuture<LiveFeed.Next> next = CompletableFuture.supplyAsync(() -> {
            try {
                return subscription.next(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Notification n = notification("ann");
        feed.deliver(n);
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo(new LiveFeed.Next.Delivered(n));
    }

    @Test
    void aClosedSubscriptionIsForgottenAndGetsNothing() throws Exception {
        LiveFeed.Subscription gone = feed.subscribe("ann");
        LiveFeed.Subscription staying = feed.subscribe("ann");
        gone.close();
        gone.close();

        feed.deliver(notification("ann"));

        assertThat(feed.subscribers()).isEqualTo(1);
        assertThat(gone.next(NO_WAIT)).isInstanceOf(LiveFeed.Next.Ended.class);
        assertThat(staying.next(NO_WAIT)).isInstanceOf(LiveFeed.Next.Delivered.class);
        staying.close();
        assertThat(feed.subscribers()).isZero();
    }

    @Test
    void aClientTooFarBehindIsEndedAfterWhatItHolds() throws Exception {
        LiveFeed.Subscription slow = feed.subscribe("ann");
        for (int i = 0; i < 5; i++) {
            feed.deliver(notification("ann"));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(slow.next(NO_WAIT)).isInstanceOf(LiveFeed.Next.Delivered.class);
        }
        assertThat(slow.next(NO_WAIT)).isInstanceOfSatisfying(LiveFeed.Next.Ended.class,
                ended -> assertThat(ended.reason()).contains("behind"));
    }

    @Test
    void closingTheFeedEndsEveryClientAndRefusesNewOnes() throws Exception {
        LiveFeed.Subscription subscription = feed.subscribe("ann");
        feed.close();

        assertThat(subscription.next(Duration.ofSeconds(5))).isInstanceOf(LiveFeed.Next.Ended.class);
        assertThatThrownBy(() -> feed.subscribe("bob"))
                .isInstanceOfSatisfying(Failure.class, f -> assertThat(f.kind()).isEqualTo(Failure.Kind.UNAVAILABLE));
        subscription.close();
        assertThat(feed.subscribers()).isZero();
    }

    static Notification notification(String customer) {
        return new Notification(UUID.randomUUID(), UUID.randomUUID(), customer, UUID.randomUUID(),
                NotificationStatus.PLACED, "Your order was placed.", Instant.now());
    }
}
