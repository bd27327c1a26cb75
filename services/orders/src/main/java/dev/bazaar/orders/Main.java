package dev.bazaar.orders;

import dev.bazaar.kit.Assembly;
import dev.bazaar.contracts.orders.OrdersSubjects;
import dev.bazaar.contracts.orders.PaymentTokenSeal;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
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
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Orders: places orders with stock reserved by catalog, and follows them to confirmed or cancelled. */
public final class Main {
    static final String NAME = "orders";

    private Main() {
    }

    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }

    /** Starts orders with the given configuration and telemetry; closing the result stops it in order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        OrdersSettings settings = OrdersSettings.from(config.get("orders"));
        return Assembly.run(NAME, Main.class, config, telemetry, base -> {
            TokenValidator tokens = base.tokens();
            Streams.ensure(base.nats(), new StreamSpec(OrdersSubjects.STREAM, List.of(OrdersSubjects.EVENTS)),
                    base.streams());
            OutboxRelay relay = base.outboxRelay();
            OrderService orders = new OrderService(
                    new JdbiOrderRepository(base.database().jdbi(), new Outbox(Json.codec(), base.openTelemetry()),
                            relay::wakeUp),
                    new NatsCatalogClient(base.nats().requests(), settings.catalogTimeout()), settings.limits(),
                    Clock.systemUTC(), UUID::randomUUID, new PaymentTokenSeal(
                            config.get("orders.payment-token-key").asString().orElse(PaymentTokenSeal.LOCAL_KEY)));
            DeadLetters deadLetters = base.deadLetters();
            EventListener payments = base.add("payment events",
                    PaymentEventsListener.start(base.nats(), orders, deadLetters));
            base.add("dead-letter redrive", DeadLetterRedrive.start(config.get("events"), deadLetters, List.of(payments)));
            SagaDeadline deadline = base.add("saga deadline",
                    SagaDeadline.start(orders, settings.sagaDeadline(), settings.sagaSweepInterval()));
            RunningService endpoints = OrderEndpoints.start(base.nats(), orders, base.version());
            base.add("nats endpoints", endpoints, endpoints::stop);
            ServiceMetrics metrics = base.metrics().deadLetters(base.nats(), deadLetters).endpoints(endpoints)
                    .listener(payments).outbox(relay)
                    .count("orders.saga.deadline.cancelled", "orders cancelled still PLACED at the saga deadline",
                            deadline, SagaDeadline::cancelled)
                    .count("orders.paid.after.cancel", "payments authorized for orders already cancelled (refund)",
                            orders, OrderService::paidAfterCancel);
            return base.serve(new HttpSecurity(tokens), metrics,
                    routing -> routing(routing, orders, deadLetters, List.of(payments)),
                    List.of(Readiness.jetStream(base.nats(), List.of(payments))));
        });
    }

    /** Orders' routes; tests reuse them. */
    static void routing(HttpRouting.Builder routing, OrderService orders, DeadLetters deadLetters,
                        List<EventListener> listeners) {
        routing.register("/orders", new OrderRoutes(orders))
                .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners));
    }
}
