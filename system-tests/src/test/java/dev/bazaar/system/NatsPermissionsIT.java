package dev.bazaar.system;

import dev.bazaar.testing.Await;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.TestNatsServer;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The project's real {@code config/nats/auth.conf} on a real nats-server: each service user can do its own job, and
 * the server refuses one service publishing another's events or touching another's streams.
 */
class NatsPermissionsIT {
    static TestNatsServer server;

    @BeforeAll
    static void start() {
        server = TestNatsServer.start(ProjectNatsAuth.configLines());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void ordersOwnsItsStreamAndPublishesItsEvents() throws Exception {
        try (Client orders = Client.connect("orders")) {
            orders.connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                    .name("ORDERS").subjects("orders.events.>").build());
            PublishAck ack = orders.connection.jetStream().publish("orders.events.order-placed", bytes("{}"));
            assertThat(ack.getStream()).isEqualTo("ORDERS");
            assertThat(orders.errors).isEmpty();
        }
    }

    @Test
    void paymentsPublishingAnOrderEventIsRefusedAndNeverArrives() throws Exception {
        try (Client ops = Client.connect("ops"); Client payments = Client.connect("payments")) {
            Subscription heard = ops.connection.subscribe("orders.events.>");
            ops.connection.flush(Duration.ofSeconds(2));

            payments.connection.publish("orders.events.order-placed", bytes("{\"forged\":true}"));
            payments.connection.flush(Duration.ofSeconds(2));

            Await.until("the server to refuse the publish", Duration.ofSeconds(5), () -> !payments.errors.isEmpty());
            assertThat(payments.errors.getFirst())
                    .containsIgnoringCase("permissions violation for publish")
                    .contains("orders.events.order-placed");
            assertThat(heard.nextMessage(Duration.ofMillis(300))).as("a forged event").isNull();
        }
    }

    @Test
    void paymentsCannotCreateOrDeleteTheOrdersStream() throws Exception {
        try (Client payments = Client.connect("payments")) {
            var jsm = payments.connection.jetStreamManagement();
            assertThatThrownBy(() -> jsm.addStream(StreamConfiguration.builder()
                    .name("ORDERS").subjects("orders.events.>").build()))
                    .isInstanceOfAny(java.io.IOException.class, JetStreamApiException.class);
            assertThatThrownBy(() -> jsm.deleteStream("ORDERS"))
                    .isInstanceOfAny(java.io.IOException.class, JetStreamApiException.class);
            Await.until("both refusals reported", Duration.ofSeconds(5), () -> payments.errors.size() >= 2);
            assertThat(payments.errors).anySatisfy(e -> assertThat(e).contains("$JS.API.STREAM.CREATE.ORDERS"));
            assertThat(payments.errors).anySatisfy(e -> assertThat(e).contains("$JS.API.STREAM.DELETE.ORDERS"));
        }
    }

    @Test
    void catalogServesItsEndpointsAndOrdersMayAskButPaymentsMayNot() throws Exception {
        try (Client catalog = Client.connect("catalog"); Client orders = Client.connect("orders");
             Client payments = Client.connect("payments")) {
            catalog.connection.createDispatcher(msg -> catalog.connection.publish(msg.getReplyTo(), bytes("reserved")))
                    .subscribe("catalog.reserve-stock", "catalog");
            catalog.connection.flush(Duration.ofSeconds(2));

            Message reply = orders.connection.request("catalog.reserve-stock", bytes("{}"), Duration.ofSeconds(2));
            assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("reserved");

            payments.connection.publish("catalog.reserve-stock", bytes("{}"));
            Await.until("the server to refuse the request", Duration.ofSeconds(5), () -> !payments.errors.isEmpty());
            assertThat(payments.errors.getFirst()).contains("catalog.reserve-stock");
            assertThat(catalog.errors).isEmpty();
            assertThat(orders.errors).isEmpty();
        }
    }

    @Test
    void aServiceCannotEavesdropOnAnotherServicesRequests() throws Exception {
        try (Client notifications = Client.connect("notifications")) {
            notifications.connection.subscribe("catalog.>");
            notifications.connection.flush(Duration.ofSeconds(2));
            Await.until("the server to refuse the subscription", Duration.ofSeconds(5),
                    () -> !notifications.errors.isEmpty());
            assertThat(notifications.errors.getFirst())
                    .containsIgnoringCase("permissions violation for subscription").contains("catalog.>");
        }
    }

    @Test
    void aServiceMayAnswerARequestButNotWriteIntoOtherInboxes() throws Exception {
        try (Client orders = Client.connect("orders"); Client payments = Client.connect("payments")) {
            Subscription inbox = orders.connection.subscribe("_INBOX_orders.test");
            orders.connection.flush(Duration.ofSeconds(2));

            payments.connection.publish("_INBOX_orders.test", bytes("a forged reply"));
            payments.connection.flush(Duration.ofSeconds(2));

            Await.until("the server to refuse the publish", Duration.ofSeconds(5), () -> !payments.errors.isEmpty());
            assertThat(payments.errors.getFirst()).contains("_INBOX_orders.test");
            assertThat(inbox.nextMessage(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void aServiceCannotReadTheAnswersToAnotherServicesRequests() throws Exception {
        try (Client payments = Client.connect("payments")) {
            payments.connection.subscribe("_INBOX_orders.>");
            payments.connection.subscribe("_INBOX.>");
            payments.connection.flush(Duration.ofSeconds(2));
            Await.until("the server to refuse both subscriptions", Duration.ofSeconds(5),
                    () -> payments.errors.size() >= 2);
            assertThat(payments.errors).allSatisfy(e -> assertThat(e)
                    .containsIgnoringCase("permissions violation for subscription"));
        }
    }

    @Test
    void eachConsumerHearsItsOwnMaxDeliveriesAdvisoriesAndReadsItsSourceStream() throws Exception {
        record Consumer(String user, String stream, String subject, String durable) {
        }
        List<Consumer> consumers = List.of(
                new Consumer("catalog", "ORDERS", "orders.events.order-placed", "catalog-orders"),
                new Consumer("orders", "PAYMENTS", "payments.events.payment-authorized", "orders-payments"),
                new Consumer("payments", "ORDERS", "orders.events.order-placed", "payments-order-placed"),
                new Consumer("payments", "ORDERS", "orders.events.order-cancelled", "payments-order-cancelled"),
                new Consumer("notifications", "ORDERS", "orders.events.order-placed", "notifications-orders"));
        try (Client ops = Client.connect("ops")) {
            var jsm = ops.connection.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.events.>").build());
            jsm.addStream(StreamConfiguration.builder().name("PAYMENTS").subjects("payments.events.>").build());
            for (Consumer consumer : consumers) {
                try (Client client = Client.connect(consumer.user())) {
                    String advisory = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + consumer.stream() + "."
                            + consumer.durable();
                    Subscription heard = client.connection.subscribe(advisory, consumer.durable());
                    client.connection.flush(Duration.ofSeconds(2));
                    long sequence = ops.connection.jetStream().publish(consumer.subject(), bytes("{}")).getSeqno();

                    ops.connection.publish(advisory, bytes("{}")); // as nats-server would
                    assertThat(heard.nextMessage(Duration.ofSeconds(2))).as(consumer + " hears").isNotNull();
                    assertThat(client.connection.jetStreamManagement().getMessage(consumer.stream(), sequence)
                            .getSubject()).as(consumer + " reads").isEqualTo(consumer.subject());
                    assertThat(client.errors).as(consumer.user()).isEmpty();
                }
            }
        }
    }

    @Test
    void aConsumerCannotHearAnotherConsumersAdvisoriesNorReadAStreamItDoesNotConsume() throws Exception {
        try (Client payments = Client.connect("payments"); Client catalog = Client.connect("catalog")) {
            payments.connection.subscribe("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.ORDERS.catalog-orders");
            catalog.connection.publish("$JS.API.STREAM.MSG.GET.PAYMENTS", bytes("{\"seq\":1}"));
            Await.until("both refusals reported", Duration.ofSeconds(5),
                    () -> !payments.errors.isEmpty() && !catalog.errors.isEmpty());
            assertThat(payments.errors.getFirst()).containsIgnoringCase("permissions violation for subscription")
                    .contains("MAX_DELIVERIES.ORDERS.catalog-orders");
            assertThat(catalog.errors.getFirst()).containsIgnoringCase("permissions violation for publish")
                    .contains("$JS.API.STREAM.MSG.GET.PAYMENTS");
        }
    }

    @Test
    void identityPublishesNothing() throws Exception {
        try (Client identity = Client.connect("identity")) {
            identity.connection.publish("identity.events.user-registered", bytes("{}"));
            identity.connection.flush(Duration.ofSeconds(2));
            Await.until("the server to refuse the publish", Duration.ofSeconds(5), () -> !identity.errors.isEmpty());
            assertThat(identity.errors.getFirst()).containsIgnoringCase("permissions violation for publish");
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Options options = new Options.Builder().server(server.url()).userInfo("orders", "not-the-password")
                .maxReconnects(0).errorListener(new ErrorListener() { }).build();
        assertThatThrownBy(() -> Nats.connect(options).close())
                .hasMessageContainingAll("Authorization Violation");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A raw jnats connection as one user, recording the server's errors (permission violations come that way). */
    record Client(Connection connection, List<String> errors) implements AutoCloseable {
        static Client connect(String user) throws Exception {
            List<String> errors = new CopyOnWriteArrayList<>();
            Options options = new Options.Builder().server(server.url())
                    .userInfo(user, ProjectNatsAuth.password(user))
                    .inboxPrefix("_INBOX_" + user) // as messaging does for a connection with a user
                    .errorListener(new ErrorListener() {
                        @Override
                        public void errorOccurred(Connection conn, String error) {
                            errors.add(error);
                        }
                    })
                    .build();
            return new Client(Nats.connect(options), errors);
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
