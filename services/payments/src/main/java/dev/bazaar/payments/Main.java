package dev.bazaar.payments;

import dev.bazaar.kit.Assembly;
import dev.bazaar.contracts.payments.PaymentsSubjects;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.messaging.events.StreamSpec;
import dev.bazaar.messaging.events.Streams;
import dev.bazaar.messaging.outbox.Outbox;
import dev.bazaar.messaging.outbox.OutboxRelay;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.payments.db.JdbiPaymentRepository;
import dev.bazaar.payments.http.PaymentRoutes;
import dev.bazaar.contracts.orders.PaymentTokenSeal;
import dev.bazaar.payments.nats.NatsOrderStock;
import dev.bazaar.payments.nats.OrderPlacedListener;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

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
        return Assembly.run(NAME, Main.class, config, telemetry, base -> {
            TokenValidator tokens = base.tokens();
            Streams.ensure(base.nats(), new StreamSpec(PaymentsSubjects.STREAM, List.of(PaymentsSubjects.EVENTS)),
                    base.streams());
            OutboxRelay relay = base.outboxRelay();
            PaymentService payments = new PaymentService(
                    new JdbiPaymentRepository(base.database().jdbi(), new Outbox(Json.codec(), base.openTelemetry()),
                            relay::wakeUp),
                    new SimulatedPaymentProvider(settings.declineAbove()),
                    new NatsOrderStock(base.nats().requests(), settings.catalogTimeout()), Clock.systemUTC(),
                    UUID::randomUUID);
            DeadLetters deadLetters = base.deadLetters();
            EventListener orderPlaced = base.add("order-placed listener",
                    OrderPlacedListener.start(base.nats(), payments, new PaymentTokenSeal(
                            config.get("payments.payment-token-key").asString().orElse(PaymentTokenSeal.LOCAL_KEY)),
                            deadLetters));
            base.add("dead-letter redrive", DeadLetterRedrive.start(config.get("events"), deadLetters, List.of(orderPlaced)));
            ServiceMetrics metrics = base.metrics().deadLetters(base.nats(), deadLetters).listener(orderPlaced)
                    .outbox(relay);
            return base.serve(new HttpSecurity(tokens), metrics,
                    routing -> routing(routing, payments, deadLetters, List.of(orderPlaced)),
                    List.of(Readiness.jetStream(base.nats(), List.of(orderPlaced))));
        });
    }

    /** Payments' routes; tests reuse them. */
    static void routing(HttpRouting.Builder routing, PaymentService payments, DeadLetters deadLetters,
                        List<EventListener> listeners) {
        routing.register("/payments", new PaymentRoutes(payments))
                .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners));
    }
}
