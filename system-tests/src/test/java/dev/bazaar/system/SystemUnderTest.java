package dev.bazaar.system;

import dev.bazaar.kit.RunningApp;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.ServiceFixture;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.helidon.config.Config;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Services started together as in production: a nats-server with the project's real users and permissions
 * (config/nats/auth.conf, each service connecting as itself), a token issuer, and a throwaway database per service.
 * Closing it stops everything in reverse start order.
 */
final class SystemUnderTest implements AutoCloseable {
    final TestTokens tokens;
    final TestNatsServer nats;
    private final String label;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    private SystemUnderTest(String label) {
        this.label = label;
        this.tokens = TestTokens.start();
        started.push(tokens);
        this.nats = TestNatsServer.start(ProjectNatsAuth.configLines());
        started.push(nats);
    }

    /** The shared infrastructure; {@code label} names the test databases. */
    static SystemUnderTest start(String label) {
        return new SystemUnderTest(label);
    }

    /** Starts one service with its own database and NATS user, its spans going to {@code spans}. */
    RunningApp start(String service, BiFunction<Config, Telemetry, RunningApp> main, SpanExporter spans) {
        TestDatabase db = TestDatabase.create(label + "_" + service);
        started.push(db);
        Map<String, String> values = new HashMap<>(tokens.config());
        values.put("outbox.poll-interval", "PT0.1S");
        values.putAll(ProjectNatsAuth.serviceConfig(service));
        RunningApp app = main.apply(ServiceFixture.config(nats, db, values), Telemetry.forTests(service, spans));
        started.push(app);
        return app;
    }

    @Override
    public void close() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }
}
