package dev.bazaar.notifications;

import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.kit.AsyncApi;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.EventsConfig;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.LocalDefaults;
import dev.bazaar.kit.NatsConfig;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.ShutdownReadiness;
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
import io.opentelemetry.api.OpenTelemetry;

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

    /** Starts notifications with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        NotificationsSettings settings = NotificationsSettings.from(config.get("notifications"));
        LocalDefaults.check(NAME, config); // before anything starts: a refusal leaves nothing running
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            OpenTelemetry otel = lifecycle.add("telemetry", telemetry).openTelemetry();
            Database database = lifecycle.add("database", Database.open(config.get("db"), NAME, otel));
            NatsMessaging nats = lifecycle.add("nats", NatsConfig.connect(config.get("nats"), NAME, otel));
            AsyncApi asyncApi = AsyncApi.announce(NAME,
                    "Tells customers what happened to their orders, as a list and live.", nats, config.get("server"));
            lifecycle.add("processed-events purge", EventsConfig.startProcessedEventsPurge(database, config.get("events")));
            TokenValidator tokens = TokenValidator.create(SecuritySettings.from(config.get("security"), NAME));

            LiveFeed feed = new LiveFeed(settings.streamBuffer());
            lifecycle.add("live subscription", LiveSubscription.start(nats, feed));
            NotificationService notifications = new NotificationService(
                    new JdbiNotificationRepository(database.jdbi()),
                    new NatsLivePublisher(nats), Clock.systemUTC(), UUID::randomUUID);
            DeadLetters deadLetters = DeadLetters.forService(nats, NAME, EventsConfig.streams(config.get("events")));
            EventListener orderEvents = lifecycle.add("order events",
                    OrderEventsListener.start(nats, deadLetters, notifications));
            lifecycle.add("dead-letter redrive",
                    DeadLetterRedrive.start(config.get("events"), deadLetters, List.of(orderEvents)));

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database).nats(nats)
                    .deadLetters(nats, deadLetters).listener(orderEvents));
            HttpSecurity security = new HttpSecurity(tokens);
            ShutdownReadiness shutdown = ShutdownReadiness.from(config.get("shutdown"));
            WebServer web = lifecycle.add("http", HttpServers.start(HttpServers.builder(NAME, config.get("server"),
                            List.of(Readiness.nats(nats), Readiness.database(database), shutdown.check(),
                                    Readiness.jetStream(nats, List.of(orderEvents))))
                    .routing(routing -> {
                        HttpRouting.Builder routes =
                            asyncApi.register(HttpServers.routing(routing, otel, security, metrics));
                        routing(routes, notifications, feed, settings.keepAlive());
                        routes.register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, List.of(orderEvents)));
                    })), WebServer::stop);
            lifecycle.add("readiness", shutdown); // stopped first: unready while HTTP still serves
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
}
