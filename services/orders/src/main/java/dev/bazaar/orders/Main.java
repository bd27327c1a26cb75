package dev.bazaar.orders;

import dev.bazaar.kit.Database;
import dev.bazaar.kit.DatabaseSettings;
import dev.bazaar.kit.HttpServers;
import dev.bazaar.kit.Json;
import dev.bazaar.kit.Launcher;
import dev.bazaar.kit.Lifecycle;
import dev.bazaar.kit.NatsConfig;
import dev.bazaar.kit.Readiness;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.ServiceConfig;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RunningService;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.orders.db.JdbiOrderRepository;
import dev.bazaar.orders.http.OrderRoutes;
import dev.bazaar.orders.nats.NatsCatalogClient;
import dev.bazaar.orders.nats.OrderEndpoints;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Orders: places orders priced by catalog and keeps their status. */
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
        Lifecycle lifecycle = new Lifecycle(NAME);
        lifecycle.add("telemetry", telemetry);
        try {
            OpenTelemetry otel = telemetry.openTelemetry();
            Database db = lifecycle.add("database",
                    Database.migrateAndOpen(DatabaseSettings.from(config.get("db")), NAME, otel));
            NatsMessaging nats = lifecycle.add("nats",
                    NatsMessaging.connect(NatsConfig.settings(config.get("nats"), NAME), otel, Json.codec()));
            OrderService orders = new OrderService(new JdbiOrderRepository(db.jdbi()),
                    new NatsCatalogClient(nats.requests(), settings.catalogTimeout()), settings.limits(),
                    Clock.systemUTC(), UUID::randomUUID);
            RunningService endpoints = OrderEndpoints.start(nats, orders, ServiceConfig.version(Main.class));
            lifecycle.add("nats endpoints", endpoints, endpoints::stop);
            WebServer web = HttpServers.start(config.get("server"), otel, Json.codec(),
                    routing -> routing(routing, orders), List.of(Readiness.nats(nats), Readiness.database(db)));
            lifecycle.add("http", web, web::stop);
            return new RunningApp(NAME, web.port(), lifecycle);
        } catch (RuntimeException e) {
            lifecycle.close();
            throw e;
        }
    }

    /** Orders' routes; tests reuse them. */
    static void routing(HttpRouting.Builder routing, OrderService orders) {
        routing.register("/orders", new OrderRoutes(orders));
    }
}
