package dev.bazaar.payments;

import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.EventsConfig;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.NatsConfig;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.EventPublisher;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.payments.db.JdbiPaymentRepository;
import dev.bazaar.payments.http.PaymentRoutes;
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

    /** Starts payments with the given configuration and telemetry; closing the result stops it in order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        PaymentsSettings settings = PaymentsSettings.from(config.get("payments"));
        StreamSettings streams = EventsConfig.streams(config.get("events"));
        Lifecycle lifecycle = new Lifecycle(NAME);
        lifecycle.add("telemetry", telemetry);
        try {
            OpenTelemetry otel = telemetry.openTelemetry();
            TokenValidator tokens = TokenValidator.create(SecuritySettings.from(config.get("security")));
            Database db = lifecycle.add("database",
                    Database.migrateAndOpen(DatabaseSettings.from(config.get("db")), NAME, otel));
            NatsMessaging nats = lifecycle.add("nats",
                    NatsMessaging.connect(NatsConfig.settings(config.get("nats"), NAME), otel, Json.codec()));
            Streams.ensure(nats, new StreamSpec(PaymentsSubjects.STREAM, List.of(PaymentsSubjects.EVENTS)), streams);
            OutboxRelay relay = lifecycle.add("outbox relay", OutboxRelay.start(db.jdbi(), new EventPublisher(nats),
                    EventsConfig.outbox(config.get("outbox"))));
            PaymentService payments = new PaymentService(
                    new JdbiPaymentRepository(db.jdbi(), new Outbox(Json.codec(), otel), relay::wakeUp),
                    new SimulatedPaymentProvider(settings.declineAbove()), Clock.systemUTC(), UUID::randomUUID);
            DeadLetters deadLetters = DeadLetters.forService(nats, NAME, streams);
            EventListener orderPlaced = lifecycle.add("order-placed listener",
                    OrderPlacedListener.start(nats, payments, deadLetters));
            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(db).nats(nats)
                    .deadLetters(nats, deadLetters).listener(orderPlaced).outbox(relay));
            WebServer web = HttpServers.start(config.get("server"), otel, Json.codec(), new HttpSecurity(tokens), metrics,
                    routing -> routing(routing, payments, deadLetters, List.of(orderPlaced)),
                    List.of(Readiness.nats(nats), Readiness.database(db), Readiness.jetStream(nats, List.of(orderPlaced))));
            lifecycle.add("http", web, web::stop);
            return new RunningApp(NAME, web.port(), lifecycle);
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    /** Payments' routes; tests reuse them. */
    static void routing(HttpRouting.Builder routing, PaymentService payments, DeadLetters deadLetters,
                        List<EventListener> listeners) {
        routing.register("/payments", new PaymentRoutes(payments))
                .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners));
    }
}
