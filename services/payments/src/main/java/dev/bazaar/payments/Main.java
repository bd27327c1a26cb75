package dev.bazaar.payments;

import dev.bazaar.payments.nats.NatsOrderStock;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.contracts.payments.PaymentAuthorized;
import dev.bazaar.contracts.payments.PaymentDeclined;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.EventsConfig;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Infrastructure;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.OutboxRoutes;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.ServiceConfig;
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

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Payments: pays for placed orders and announces the outcome. */
public final class Main {
    static final String NAME = "payments";

    /** Starts payments with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        PaymentsSettings settings = PaymentsSettings.from(config.get("payments"));
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            Infrastructure infra = Infrastructure.open(NAME, "Pays for placed orders and announces the outcome.",
                    config, telemetry, lifecycle);
            lifecycle.add("processed-events purge",
                    EventsConfig.startProcessedEventsPurge(infra.database(), infra.events()));
            NatsMessaging nats = infra.nats();
            Database database = infra.database();
            StreamSettings streams = EventsConfig.streams(infra.events());
            Streams.ensure(nats, new StreamSpec(PaymentsSubjects.STREAM, List.of(PaymentsSubjects.EVENTS)), streams);
            nats.declarations() // what PaymentService emits through the outbox
                    .publishes(PaymentsSubjects.PAYMENT_AUTHORIZED, PaymentAuthorized.class, PaymentsSubjects.STREAM)
                    .publishes(PaymentsSubjects.PAYMENT_DECLINED, PaymentDeclined.class, PaymentsSubjects.STREAM);
            OutboxRelay relay = lifecycle.add("outbox relay",
                    EventsConfig.startRelay(database, nats, config.get("outbox")));
            lifecycle.add("outbox purge", EventsConfig.startOutboxPurge(relay, config.get("outbox")));

            PaymentService payments = new PaymentService(
                    new JdbiPaymentRepository(database.jdbi(), new Outbox(Json.codec(), infra.otel()), relay::wakeUp),
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
            lifecycle.add("dead-letter redrive", DeadLetterRedrive.start(infra.events(), deadLetters, listeners));

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database)
                    .nats(nats).deadLetters(nats, deadLetters).listener(orderPlaced).listener(orderCancelled)
                    .outbox(relay));
            HttpSecurity security = new HttpSecurity(
                    TokenValidator.create(SecuritySettings.from(config.get("security"), NAME)));
            WebServer web = infra.serve(HttpServers.builder(NAME, config.get("server"),
                            infra.readiness(Readiness.jetStream(nats, listeners)))
                    .routing(routing -> infra.routing(routing, security, metrics)
                            .register("/payments", new PaymentRoutes(payments))
                            .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners))
                            .register("/admin/outbox", new OutboxRoutes(relay))), lifecycle);
            return new RunningApp(NAME, web, lifecycle);
        } catch (RuntimeException e) {
            throw lifecycle.abort(e);
        }
    }

    /** The process: configuration and telemetry from the environment, {@link #start}, stopped in order on SIGTERM. */
    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }
}
