package dev.bazaar.notifications;

import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.EventsConfig;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Infrastructure;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.NatsMessaging;
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
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Notifications: tells customers what happened to their orders, as a list and live. */
public final class Main {
    static final String NAME = "notifications";

    /** Starts notifications with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        NotificationsSettings settings = NotificationsSettings.from(config.get("notifications"));
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            Infrastructure infra = Infrastructure.open(NAME,
                    "Tells customers what happened to their orders, as a list and live.", config, telemetry, lifecycle);
            lifecycle.add("processed-events purge",
                    EventsConfig.startProcessedEventsPurge(infra.database(), infra.events()));
            NatsMessaging nats = infra.nats();
            Database database = infra.database();

            LiveFeed feed = new LiveFeed(settings.streamBuffer());
            lifecycle.add("live subscription", LiveSubscription.start(nats, feed));
            NotificationService notifications = new NotificationService(
                    new JdbiNotificationRepository(database.jdbi()),
                    new NatsLivePublisher(nats), Clock.systemUTC(), UUID::randomUUID);
            DeadLetters deadLetters = DeadLetters.forService(nats, NAME, EventsConfig.streams(infra.events()));
            EventListener orderEvents = lifecycle.add("order events",
                    OrderEventsListener.start(nats, deadLetters, notifications));
            lifecycle.add("dead-letter redrive",
                    DeadLetterRedrive.start(infra.events(), deadLetters, List.of(orderEvents)));

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database)
                    .nats(nats).deadLetters(nats, deadLetters).listener(orderEvents));
            HttpSecurity security = new HttpSecurity(
                    TokenValidator.create(SecuritySettings.from(config.get("security"), NAME)));
            WebServer web = infra.serve(HttpServers.builder(NAME, config.get("server"),
                            infra.readiness(Readiness.jetStream(nats, List.of(orderEvents))))
                    .routing(routing -> {
                        HttpRouting.Builder routes = infra.routing(routing, security, metrics);
                        routing(routes, notifications, feed, settings.keepAlive());
                        routes.register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, List.of(orderEvents)));
                    }), lifecycle);
            // Stopped first: ends the open live streams, so that the webserver has no handler left to wait for.
            lifecycle.add("live streams", feed);
            return new RunningApp(NAME, web, lifecycle);
        } catch (RuntimeException e) {
            throw lifecycle.abort(e);
        }
    }

    /** Notifications' routes; NotificationRoutesTest reuses them. The caller's customer is the access token's subject. */
    static void routing(HttpRouting.Builder routing, NotificationService notifications, LiveFeed feed,
                        Duration keepAlive) {
        routing.register("/notifications",
                new NotificationRoutes(notifications, feed, keepAlive, CallerCustomer::fromToken));
    }

    /** The process: configuration and telemetry from the environment, {@link #start}, stopped in order on SIGTERM. */
    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }
}
