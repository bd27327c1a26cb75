package dev.bazaar.messaging;

import dev.bazaar.messaging.Fixtures.Greet;
import dev.bazaar.messaging.Fixtures.Greeting;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.Connection;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthIT {
    private static TestNatsServer server;

    @BeforeAll
    static void start() {
        server = TestNatsServer.start(List.of("authorization { user: svc, password: s3cret }"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connectsWithUserAndPassword() {
        NatsSettings settings = Fixtures.settings(server, "auth-ok").withUserInfo("svc", "s3cret");
        try (NatsMessaging messaging = NatsMessaging.connect(settings, OpenTelemetry.noop(), JsonCodec.standard())) {
            messaging.service("auth", "1.0.0", "x")
                    .endpoint("auth.echo", Greet.class, Greeting.class, (request, context) -> new Greeting(request.name(), Instant.EPOCH))
                    .start();

            assertThat(messaging.isConnected()).isTrue();
            assertThat(messaging.requests().request("auth.echo", new Greet("in"), Greeting.class, Duration.ofSeconds(2)))
                    .isEqualTo(new Greeting("in", Instant.EPOCH));
        }
    }

    @Test
    void wrongPasswordNeverConnectsAndSaysWhy() {
        NatsSettings settings = Fixtures.settings(server, "auth-bad").withUserInfo("svc", "wrong");
        // Depending on timing the client gives up during connect (exception) or just after (closed connection).
        try (NatsMessaging messaging = NatsMessaging.connect(settings, OpenTelemetry.noop(), JsonCodec.standard())) {
            assertThat(messaging.isConnected()).isFalse();
            Await.until("client gives up", Duration.ofSeconds(10),
                    () -> messaging.connection().getStatus() == Connection.Status.CLOSED);
            assertThat(messaging.events().errors()).isPositive();
            assertThat(messaging.events().lastError()).containsIgnoringCase("authorization violation");
        } catch (MessagingException e) {
            assertThat(e).hasMessageContainingAll("auth-bad", "Authorization Violation");
        }
    }
}
