package dev.bazaar.payments;

import dev.bazaar.payments.nats.NatsOrderStock;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.kit.AsyncApi;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.EventsConfig;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.LocalDefaults;
import dev.bazaar.kit.NatsConfig;
import dev.bazaar.kit.OutboxRoutes;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.ServiceConfig;
import dev.bazaar.kit.ShutdownReadiness;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.payments.db.JdbiPaymentRepository;
import dev.bazaar.payments.http.PaymentRoutes;
import dev.bazaar.payments.nats.OrderCancelledListener;
import dev.bazaar.payments.nats.OrderPlacedListener;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Payments: pays for placed orders and announces the outcome. */
public final class Main {
    static final String NAME = "payments";

    private Main() {
    }

    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }

    /** Starts payments with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        PaymentsSettings settings = PaymentsSettings.from(config.get("payments"));
        LocalDefaults.check(NAME, config); // before anything starts: a refusal leaves nothing running
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            OpenTelemetry otel = lifecycle.add("telemetry", telemetry).openTelemetry();
            Database database = lifecycle.add("database", Database.open(config.get("db"), NAME, otel));
            NatsMessaging nats = lifecycle.add("nats", NatsConfig.connect(config.get("nats"), NAME, otel));
            AsyncApi asyncApi = AsyncApi.announce(NAME,
                    "Pays for placed orders and announces the outcome.", nats, config.get("server"));
            lifecycle.add("processed-events purge", EventsConfig.startProcessedEventsPurge(database, config.get("events")));
            TokenValidator tokens = TokenValidator.create(SecuritySettings.from(config.get("security"), NAME));
            StreamSettings streams = EventsConfig.streams(config.get("events"));
            Streams.ensure(nats, new StreamSpec(PaymentsSubjects.STREAM, List.of(PaymentsSubjects.EVENTS)), streams);
            nats.declarations() // what PaymentService emits through the outbox
                    .publishes(PaymentsSubjects.PAYMENT_AUTHORIZED, PaymentAuthorized.class, PaymentsSubjects.STREAM)
                    .publishes(PaymentsSubjects.PAYMENT_DECLINED, PaymentDeclined.class, PaymentsSubjects.STREAM);
            OutboxRelay relay = lifecycle.add("outbox relay", EventsConfig.startRelay(database, nats, config.get("outbox")));
            lifecycle.add("outbox purge", EventsConfig.startOutboxPurge(relay));

            PaymentService payments = new PaymentService(
                    new JdbiPaymentRepository(database.jdbi(), new Outbox(Json.codec(), otel), relay::wakeUp),
                    new SimulatedPaymentProvider(settings.declineAbove()),
                    new NatsOrderStock(nats.requests(), settings.catalogTimeout()), Clock.systemUTC(),
                    UUID::randomUUID);
            DeadLetters deadLetters = DeadLetters.forService(nats, NAME, streams);
            EventListener orderPlaced = lifecycle.add("order-placed listener",
                    OrderPlacedListener.start(nats, payments, ServiceConfig.paymentTokenSeal(config, NAME),
                            deadLetters));
            EventListener orderCancelled = lifecycle.add("order-cancelled listener",
                    OrderCancelledListener.start(nats, payments, deadLetters));
            List<EventListener> listeners = List.of(orderPlaced, orderCancelled);
            lifecycle.add("dead-letter redrive", DeadLetterRedrive.start(config.get("events"), deadLetters, listeners));

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database).nats(nats)
                    .deadLetters(nats, deadLetters).listener(orderPlaced).listener(orderCancelled).outbox(relay));
            HttpSecurity security = new HttpSecurity(tokens);
            ShutdownReadiness shutdown = ShutdownReadiness.from(config.get("shutdown"));
            WebServer web = lifecycle.add("http", HttpServers.start(HttpServers.builder(NAME, config.get("server"),
                            List.of(Readiness.nats(nats), Readiness.database(database), shutdown.check(),
                                    Readiness.jetStream(nats, listeners)))
                    .routing(routing -> routing(
                            asyncApi.register(HttpServers.routing(routing, otel, security, metrics)),
                            payments, relay, deadLetters, listeners))), WebServer::stop);
            lifecycle.add("readiness", shutdown); // stopped first: unready while HTTP still serves
            return new RunningApp(NAME, web, lifecycle);
        } catch (RuntimeException e) {
            throw lifecycle.abort(e);
        }
    }

    /** Payments' routes, registered after {@code HttpServers.routing}'s shared filters. */
    static void routing(HttpRouting.Builder routing, PaymentService payments, OutboxRelay relay,
                        DeadLetters deadLetters, List<EventListener> listeners) {
        routing.register("/payments", new PaymentRoutes(payments))
                .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners))
                .register("/admin/outbox", new OutboxRoutes(relay));
    }
}
