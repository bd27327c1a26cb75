package dev.bazaar.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.orders.OrderLimits;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.testing.AsyncApiChecks;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ProjectNatsAuth;
import dev.bazaar.testing.TestHttp;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.InfoResponse;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service's AsyncAPI document (GET /asyncapi, generated from its declarations) against what the code does:
 * the copy in docs/asyncapi/ is current, $SRV.INFO points to it and names no endpoint it lacks, every subject that
 * crosses nats-server during a confirmed and a declined order is on a channel, and every field of every contract
 * record is a property of its schema. {@code make asyncapi} runs it with {@code -Dasyncapi.write=true}: it rewrites docs/asyncapi/.
 */
class AsyncApiIT {
    static final Path DOCS = ServiceKeys.ROOT.resolve("docs/asyncapi");
    static final String MUG = "00000000-0000-4000-8000-000000000001";
    static final List<String> SERVICES = List.of("identity", "catalog", "orders", "payments", "notifications");
    /**
     * What nats-server and jnats carry for every client, not the services' contract: inboxes, the JetStream API and
     * acks, discovery, and the server's advisories (the one the services subscribe to, MAX_DELIVERIES, is on their
     * channels).
     */
    static final List<String> INFRASTRUCTURE = List.of("_INBOX", "$JS.API.", "$JS.ACK.", "$SRV.", "$JS.EVENT.");
    /** Records of the contracts that never travel: the order limits both services read from their settings. */
    static final Set<Class<?>> NOT_MESSAGES = Set.of(OrderLimits.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static SystemUnderTest system;
    static final Map<String, RunningApp> apps = new LinkedHashMap<>();
    static final Set<String> heard = new ConcurrentSkipListSet<>();
    static Connection ops;

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.start("asyncapi");
        ops = Nats.connect(new Options.Builder().server(system.nats.url())
                .userInfo("ops", ProjectNatsAuth.password("ops")).build());
        Dispatcher everything = ops.createDispatcher(message -> heard.add(message.getSubject()));
        everything.subscribe(">");
        ops.flush(Duration.ofSeconds(2));
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        apps.put("identity", system.start("identity", dev.bazaar.identity.Main::start, spans, Map.of(
                "identity.issuer", "http://identity.asyncapi",
                "identity.password.memory-kib", "64", "identity.password.iterations", "1",
                "identity.bootstrap-admin.email", "admin@asyncapi.test",
                "identity.bootstrap-admin.password", "quiet-lantern-orbit-7731")));
        apps.put("catalog", system.start("catalog", dev.bazaar.catalog.Main::start, spans));
        apps.put("orders", system.start("orders", dev.bazaar.orders.Main::start, spans));
        apps.put("payments", system.start("payments", dev.bazaar.payments.Main::start, spans));
        apps.put("notifications", system.start("notifications", dev.bazaar.notifications.Main::start, spans));
    }

    @AfterAll
    static void stop() throws Exception {
        if (ops != null) {
            ops.close();
        }
        system.close();
    }

    @Test
    void theCommittedDocumentsAreTheOnesTheServicesServe() throws IOException {
        boolean write = Boolean.getBoolean("asyncapi.write");
        List<String> stale = new ArrayList<>();
        for (String service : SERVICES) {
            HttpResponse<String> served = TestHttp.get(apps.get(service).baseUrl() + "/asyncapi");
            assertThat(served.statusCode()).as(service).isEqualTo(200);
            assertThat(served.headers().firstValue("Content-Type")).as(service).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/json"));
            String document = JSON.writeValueAsString(JSON.readTree(served.body())) + "\n";
            Path committed = DOCS.resolve(service + ".json");
            if (write) {
                Files.createDirectories(DOCS);
                Files.writeString(committed, document);
            } else if (!Files.exists(committed) || !Files.readString(committed).equals(document)) {
                stale.add(committed.toString());
            }
        }
        assertThat(stale).as("stale AsyncAPI documents: rewrite them with `make asyncapi` "
                + "(see docs/asyncapi/README.md)").isEmpty();
    }

    @Test
    void srvInfoPointsToTheDocumentAndItHasEveryEndpoint() throws Exception {
        Discovery discovery = new Discovery(ops, 2000, 5);
        for (String service : List.of("catalog", "orders")) {
            List<InfoResponse> infos = discovery.info(service);
            assertThat(infos).as(service).hasSize(1);
            assertThat(infos.getFirst().getMetadata()).as(service)
                    .containsEntry("asyncapi", "/asyncapi").containsEntry("asyncapi.spec", "3.0.0")
                    .containsEntry("schemaVersion", document(service).path("info").path("version").asText());
            List<String> addresses = AsyncApiChecks.addresses(document(service));
            assertThat(infos.getFirst().getEndpoints()).extracting(Endpoint::getSubject).as(service).isNotEmpty()
                    .allSatisfy(subject -> assertThat(AsyncApiChecks.documents(addresses, subject))
                            .as(service + ": " + subject + " undocumented").isTrue());
        }
    }

    @Test
    void everySubjectTheServicesUseIsOnAChannel() throws Exception {
        String customer = system.tokens.customer("asyncapi-" + UUID.randomUUID());
        RunningApp orders = apps.get("orders");
        String confirmed = place(orders, customer, "tok_visa");
        String cancelled = place(orders, customer, "tok_declined");
        awaitStatus(orders, customer, confirmed, "CONFIRMED");
        awaitStatus(orders, customer, cancelled, "CANCELLED");
        Await.until("notifications of both orders", Duration.ofSeconds(20), () -> TestHttp.json(TestHttp.get(
                apps.get("notifications").baseUrl() + "/notifications", customer)).path("notifications").size() >= 4);
        ops.flush(Duration.ofSeconds(2));

        List<String> addresses = allAddresses();
        Set<String> used = new TreeSet<>(heard);
        used.removeIf(subject -> INFRASTRUCTURE.stream().anyMatch(subject::startsWith));
        assertThat(used).as("subjects heard during the saga").contains(CatalogSubjects.RESERVE_STOCK,
                "orders.events.order-placed", "payments.events.payment-declined");
        assertThat(used.stream().filter(subject -> !AsyncApiChecks.documents(addresses, subject)))
                .as("subjects on the wire that no service's document has a channel for").isEmpty();
    }

    @Test
    void everyContractSubjectAndEveryRecordFieldIsDocumented() throws Exception {
        ObjectNode merged = JSON.createObjectNode();
        ObjectNode schemas = merged.putObject("components").putObject("schemas");
        for (String service : SERVICES) {
            document(service).path("components").path("schemas").properties()
                    .forEach(entry -> schemas.set(entry.getKey(), entry.getValue()));
        }
        List<Class<?>> records = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (Class<?> type : contractClasses()) {
            if (type.isRecord() && !NOT_MESSAGES.contains(type)) {
                records.add(type);
            }
            if (type.getSimpleName().endsWith("Subjects")) {
                for (Field field : type.getFields()) {
                    String value = String.valueOf(field.get(null));
                    if (Modifier.isStatic(field.getModifiers()) && value.contains(".") && !value.contains(">")) {
                        subjects.add(value);
                    }
                }
            }
        }
        records.add(dev.bazaar.notifications.nats.LiveNotification.class);
        assertThat(records).hasSizeGreaterThan(15);
        assertThat(AsyncApiChecks.undocumentedFields(merged, records)).isEmpty();
        List<String> addresses = allAddresses();
        assertThat(subjects).hasSizeGreaterThan(8)
                .allSatisfy(subject -> assertThat(AsyncApiChecks.documents(addresses, subject))
                        .as(subject + " undocumented").isTrue());
    }

    private static JsonNode document(String service) {
        return TestHttp.json(TestHttp.get(apps.get(service).baseUrl() + "/asyncapi"));
    }

    private static List<String> allAddresses() {
        return SERVICES.stream().flatMap(service -> AsyncApiChecks.addresses(document(service)).stream()).toList();
    }

    /** The classes of the contracts' sub-packages (catalog, orders, payments): what services exchange. */
    private static List<Class<?>> contractClasses() throws IOException, URISyntaxException {
        Path root = Path.of(CatalogSubjects.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root.resolve("dev/bazaar/contracts"))) {
                files.map(file -> root.relativize(file).toString()).forEach(name -> load(name, classes));
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                jar.stream().map(JarEntry::getName).forEach(name -> load(name, classes));
            }
        }
        return classes;
    }

    private static void load(String file, List<Class<?>> classes) {
        String name = file.replace('\\', '/');
        if (name.matches("dev/bazaar/contracts/[a-z]+/[A-Za-z$]+\\.class") && !name.contains("package-info")) {
            try {
                classes.add(Class.forName(name.substring(0, name.length() - 6).replace('/', '.')));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String place(RunningApp orders, String customer, String paymentToken) {
        HttpResponse<String> placed = TestHttp.post(orders.baseUrl() + "/orders", "{\"items\":[{\"productId\":\""
                + MUG + "\",\"quantity\":1}],\"paymentToken\":\"" + paymentToken + "\"}", customer);
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        return TestHttp.json(placed).get("id").asText();
    }

    private static void awaitStatus(RunningApp orders, String customer, String orderId, String status) {
        Await.until("order " + orderId + " " + status, Duration.ofSeconds(20), () -> TestHttp.json(
                TestHttp.get(orders.baseUrl() + "/orders/" + orderId, customer)).path("status").asText()
                .equals(status));
    }
}
