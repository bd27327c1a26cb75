package dev.bazaar.catalog;

import dev.bazaar.kit.security.GrpcSecurity;
import dev.bazaar.kit.DeadLetterRedrive;
import dev.bazaar.catalog.db.JdbiProductRepository;
import dev.bazaar.catalog.db.JdbiReservationRepository;
import dev.bazaar.catalog.grpc.CatalogGrpcRouting;
import dev.bazaar.catalog.grpc.CatalogGrpcService;
import dev.bazaar.catalog.http.ProductRoutes;
import dev.bazaar.catalog.nats.CatalogEndpoints;
import dev.bazaar.catalog.nats.OrderEventsListener;
import dev.bazaar.kit.Database;
import dev.bazaar.kit.DeadLetterRoutes;
import dev.bazaar.kit.EventsConfig;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Infrastructure;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.Periodic;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceConfig;
import dev.bazaar.kit.ServiceMetrics;
import dev.bazaar.kit.security.HttpSecurity;
import dev.bazaar.kit.security.NatsSecurity;
import dev.bazaar.kit.security.SecuritySettings;
import dev.bazaar.kit.security.TokenValidator;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.messaging.events.DeadLetters;
import dev.bazaar.messaging.events.EventListener;
import dev.bazaar.observability.Telemetry;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Catalog: products, prices and stock. */
public final class Main {
    static final String NAME = "catalog";

    /** Starts catalog with the given configuration and telemetry; closing the result stops it in reverse order. */
    public static RunningApp start(Config config, Telemetry telemetry) {
        CatalogSettings settings = CatalogSettings.from(config.get("catalog"));
        Lifecycle lifecycle = new Lifecycle(NAME);
        try {
            Infrastructure infra = Infrastructure.open(NAME, "Products, prices and stock.", config, telemetry,
                    lifecycle);
            lifecycle.add("processed-events purge",
                    EventsConfig.startProcessedEventsPurge(infra.database(), infra.events()));
            NatsMessaging nats = infra.nats();
            Database database = infra.database();
            TokenValidator tokens = TokenValidator.create(SecuritySettings.from(config.get("security"), NAME));

            CatalogService catalog = new CatalogService(new JdbiProductRepository(database.jdbi()),
                    UUID::randomUUID);
            StockService stock = new StockService(new JdbiReservationRepository(database.jdbi()),
                    ServiceConfig.orderLimits(config), Clock.systemUTC(), settings.reservationTtl());
            DeadLetters deadLetters = DeadLetters.forService(nats, NAME, EventsConfig.streams(infra.events()));
            EventListener orderEvents = lifecycle.add("order events",
                    OrderEventsListener.start(nats, stock, deadLetters));
            lifecycle.add("reservation sweeper",
                    Periodic.start("reservation-sweeper", settings.sweepInterval(), stock::expireLapsed));
            RunningService endpoints = lifecycle.add("nats endpoints", CatalogEndpoints.start(nats, catalog, stock,
                    new NatsSecurity(tokens), ServiceConfig.version(Main.class)), RunningService::stop);
            lifecycle.add("dead-letter redrive",
                    DeadLetterRedrive.start(infra.events(), deadLetters, List.of(orderEvents)));

            ServiceMetrics metrics = lifecycle.add("metrics", ServiceMetrics.create(NAME).database(database)
                    .nats(nats).deadLetters(nats, deadLetters).endpoints(endpoints).listener(orderEvents));
            HttpSecurity security = new HttpSecurity(tokens);
            WebServer web = infra.serve(HttpServers.builder(NAME, config.get("server"),
                            infra.readiness(Readiness.jetStream(nats, List.of(orderEvents))),
                            Map.of(CatalogGrpcRouting.SOCKET, CatalogGrpcRouting.listener(config,
                                    new CatalogGrpcService(catalog, stock, new GrpcSecurity(tokens)), infra.otel())))
                    .routing(routing -> routing(infra.routing(routing, security, metrics),
                            catalog, deadLetters, List.of(orderEvents))), lifecycle);
            return new RunningApp(NAME, web, lifecycle,
                    Map.of(CatalogGrpcRouting.SOCKET, web.port(CatalogGrpcRouting.SOCKET)));
        } catch (RuntimeException e) {
            throw lifecycle.abort(e);
        }
    }

    /** Catalog's routes, registered after {@code HttpServers.routing}'s shared filters. */
    static void routing(HttpRouting.Builder routing, CatalogService catalog, DeadLetters deadLetters,
                        List<EventListener> listeners) {
        routing.register("/products", new ProductRoutes(catalog))
                .register("/admin/dead-letters", new DeadLetterRoutes(deadLetters, listeners));
    }

    /** The process: configuration and telemetry from the environment, {@link #start}, stopped in order on SIGTERM. */
    public static void main(String[] args) {
        Launcher.launch(NAME, Main.class, Main::start);
    }
}
