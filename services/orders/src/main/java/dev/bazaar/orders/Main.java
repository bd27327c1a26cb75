package dev.bazaar.orders;

import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.contracts.orders.OrderCancelled;
import dev.bazaar.contracts.orders.OrderConfirmed;
import dev.bazaar.contracts.orders.OrderPlaced;
import dev.bazaar.contracts.orders.OrdersSubjects;
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
import dev.bazaar.kit.ServiceConfig;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.StreamSettings;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.orders.db.JdbiOrderRepository;
import dev.bazaar.orders.http.OrderRoutes;
import dev.bazaar.orders.nats.NatsCatalogClient;
import dev.bazaar.orders.nats.OrderEndpoints;
import dev.bazaar.orders.nats.PaymentEventsListener;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Orders: places orders with stock reserved by catalog, and follows them to confirmed or cancelled. */
public final class Main {
    static final String NAME = "orders";

    /** Starts orders with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        OrdersSettings settings = OrdersSettings.from(config.get("orders"));
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            Infrastructure infra = Infrastructure.open(NAME,
                    "Places orders with stock reserved by catalog, and follows them to confirmed or cancelled.",
                    config, telemetry, lifecycle);
            lifecycle.add("processed-events purge",
                    EventsConfig.startProcessedEventsPurge(infra.database(), infra.events()));
            NatsMessaging nats = infra.nats();
            Database database = infra.database();
            StreamSettings streams = EventsConfig.streams(infra.events());
            Streams.ensure(nats, new StreamSpec(OrdersSubjects.STREAM, List.of(OrdersSubjects.EVENTS)), streams);
            nats.declarations() // what OrderService emits through the outbox
                    .publishes(OrdersSubjects.ORDER_PLACED, OrderPlaced.class, OrdersSubjects.STREAM)
                    .publishes(OrdersSubjects.ORDER_CONFIRMED, OrderConfirmed.class, OrdersSubjects.STREAM)
                    .publishes(OrdersSubjects.ORDER_CANCELLED, OrderCancelled.class, OrdersSubjects.STREAM);
            OutboxRelay relay = lifecycle.add("outbox relay",
                    EventsConfig.startRelay(database, nats, config.get("outbox")));
            lifecycle.add("outbox purge", EventsConfig.startOutboxPurge(relay, config.get("outbox")));

            OrderService orders = new OrderService(
                    new JdbiOrderRepository(database.jdbi(), new Outbox(Json.codec(), infra.otel()), relay::wakeUp),
                    new NatsCatalogClient(nats.requests(), settings.catalogTimeout()), ServiceConfig.orderLimits(config),
                    Clock.systemUTC(), UUID::randomUUID, ServiceConfig.paymentTokenSeal(config, NAME));
            DeadLetters deadLetters = DeadLetters.forService(nats, NAME, streams);
            EventListener payments = lifecycle.add("payment events",
                    PaymentEventsListener.start(nats, orders, deadLetters));
            lifecycle.add("dead-letter redrive",
                    DeadLetterRedrive.start(infra.events(), deadLetters, List.of(payments)));
            SagaDeadline deadline = lifecycle.add("saga deadline",
                    SagaDeadline.start(orders, settings.sagaDeadline(), settings.sagaSweepInterval()));
            RunningService endpoints = lifecycle.add("nats endpoints",
                    OrderEndpoints.start(nats, orders, ServiceConfig.version(Main.class)), RunningService::stop);

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database)
                    .nats(nats).deadLetters(nats, deadLetters).endpoints(endpoints).listener(payments).outbox(relay)
                    .count("orders.saga.deadline.cancelled", "orders cancelled still PLACED at the saga deadline",
                            deadline, SagaDeadline::cancelled)
                    .count("orders.paid.after.cancel", "payments authorized for orders already cancelled (refund)",
                            orders, OrderService::paidAfterCancel));
            HttpSecurity security = new HttpSecurity(
                    TokenValidator.create(SecuritySettings.from(config.get("security"), NAME)));
            WebServer web = infra.serve(HttpServers.builder(NAME, config.get("server"),
                            infra.readiness(Readiness.jetStream(nats, List.of(payments))))
                    .routing(routing -> infra.routing(routing, security, metrics)
                            .register("/orders", new OrderRoutes(orders))
                            .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, List.of(payments)))
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
