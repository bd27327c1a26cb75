package dev.bazaar.catalog;

import dev.bazaar.kit.Assembly;
import dev.bazaar.catalog.db.JdbiProductRepository;
import dev.bazaar.catalog.db.JdbiReservationRepository;
import dev.bazaar.catalog.grpc.CatalogGrpcRouting;
import dev.bazaar.catalog.grpc.CatalogGrpcService;
import dev.bazaar.catalog.http.ProductRoutes;
import dev.bazaar.catalog.nats.CatalogEndpoints;
import dev.bazaar.catalog.nats.OrderEventsListener;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Periodic;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.GrpcSecurity;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.NatsSecurity;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Catalog: products, prices and stock. */
public final class Main {
    static final String NAME = "catalog";

    private Main() {
    }

    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }

    /** Starts catalog with the given configuration and telemetry; closing the result stops it in order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        CatalogSettings settings = CatalogSettings.from(config.get("catalog"));
        return Assembly.run(NAME, Main.class, config, telemetry, base -> {
            TokenValidator tokens = base.tokens();
            CatalogService catalog = new CatalogService(new JdbiProductRepository(base.database().jdbi()),
                    UUID::randomUUID);
            StockService stock = new StockService(new JdbiReservationRepository(base.database().jdbi()),
                    Clock.systemUTC(), settings.reservationTtl());
            DeadLetters deadLetters = base.deadLetters();
            EventListener orderEvents = base.add("order events",
                    OrderEventsListener.start(base.nats(), stock, deadLetters));
            base.add("reservation sweeper",
                    Periodic.start("reservation-sweeper", settings.sweepInterval(), stock::expireLapsed));
            RunningService endpoints = CatalogEndpoints.start(base.nats(), catalog, stock, new NatsSecurity(tokens),
                    base.version());
            base.add("nats endpoints", endpoints, endpoints::stop);
            base.add("dead-letter redrive", DeadLetterRedrive.start(config.get("events"), deadLetters, List.of(orderEvents)));
            ServiceMetrics metrics = base.metrics().deadLetters(base.nats(), deadLetters).endpoints(endpoints)
                    .listener(orderEvents);
            return base.serve(new HttpSecurity(tokens), metrics,
                    routing -> routing(routing, catalog, deadLetters, List.of(orderEvents)),
                    List.of(Readiness.jetStream(base.nats(), List.of(orderEvents))),
                    Map.of(CatalogGrpcRouting.SOCKET, CatalogGrpcRouting.listener(config,
                            new CatalogGrpcService(catalog, stock, new GrpcSecurity(tokens)), base.openTelemetry())));
        });
    }

    /** Catalog's routes; tests reuse them. */
    static void routing(HttpRouting.Builder routing, CatalogService catalog, DeadLetters deadLetters,
                        List<EventListener> listeners) {
        routing.register("/products", new ProductRoutes(catalog))
                .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners));
    }
}
