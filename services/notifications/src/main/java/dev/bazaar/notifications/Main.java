package dev.bazaar.notifications;

import dev.bazaar.kit.Assembly;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.notifications.db.JdbiNotificationRepository;
import dev.bazaar.notifications.http.CallerCustomer;
import dev.bazaar.notifications.http.NotificationRoutes;
import dev.bazaar.notifications.nats.LiveSubscription;
import dev.bazaar.notifications.nats.NatsLivePublisher;
import dev.bazaar.notifications.nats.OrderEventsListener;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Notifications: tells customers what happened to their orders, as a list and live. */
public final class Main {
    static final String NAME = "notifications";

    private Main() {
    }

    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }

    /** Starts notifications with the given configuration and telemetry; closing the result stops it in order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        NotificationsSettings settings = NotificationsSettings.from(config.get("notifications"));
        return Assembly.run(NAME, Main.class, config, telemetry, base -> {
            TokenValidator tokens = base.tokens();
            LiveFeed feed = new LiveFeed(settings.streamBuffer());
            base.add("live subscription", LiveSubscription.start(base.nats(), feed));
            NotificationService notifications = new NotificationService(
                    new JdbiNotificationRepository(base.database().jdbi(), OrderEventsListener.DURABLE),
                    new NatsLivePublisher(base.nats()), Clock.systemUTC(), UUID::randomUUID);
            DeadLetters deadLetters = base.deadLetters();
            EventListener orderEvents = base.add("order events",
                    OrderEventsListener.start(base.nats(), deadLetters, notifications));
            base.add("dead-letter redrive", DeadLetterRedrive.start(config.get("events"), deadLetters, List.of(orderEvents)));
            ServiceMetrics metrics = base.metrics().deadLetters(base.nats(), deadLetters).listener(orderEvents);
            RunningApp app = base.serve(new HttpSecurity(tokens), metrics, routing -> {
                routing(routing, notifications, feed, settings.keepAlive());
                routing.register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, List.of(orderEvents)));
            }, List.of(Readiness.jetStream(base.nats(), List.of(orderEvents))));
            // Stopped first: ends the open live streams, so that the webserver has no handler left to wait for.
            base.add("live streams", feed);
            return app;
        });
    }

    /** Notifications' routes; tests reuse them. The caller's customer is the access token's subject. */
    static void routing(HttpRouting.Builder routing, NotificationService notifications, LiveFeed feed,
                        Duration keepAlive) {
        routing.register("/notifications",
                new NotificationRoutes(notifications, feed, keepAlive, CallerCustomer::fromToken));
    }
}
