package dev.bazaar.catalog;

import dev.bazaar.catalog.grpc.CatalogGrpcRouting;
import dev.bazaar.grpc.catalog.v1.CatalogGrpc;
import dev.bazaar.grpc.catalog.v1.GetProductRequest;
import dev.bazaar.grpc.catalog.v1.GetProductsReply;
import dev.bazaar.grpc.catalog.v1.GetProductsRequest;
import dev.bazaar.grpc.catalog.v1.Product;
import dev.bazaar.grpc.catalog.v1.ReserveStockReply;
import dev.bazaar.grpc.catalog.v1.ReserveStockRequest;
import dev.bazaar.kit.RunningApp;
import dev.bazaar.kit.security.GrpcSecurity;
import dev.bazaar.observability.GrpcTracing;
import dev.bazaar.observability.Telemetry;
import dev.bazaar.testing.Await;
import dev.bazaar.testing.ServiceUnderTest;
import dev.bazaar.testing.TestDatabase;
import dev.bazaar.testing.TestNatsServer;
import dev.bazaar.testing.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Catalog over gRPC, called by a real grpc-java client over HTTP/2 on catalog's port. */
class CatalogGrpcIT {
    static final UUID MUG = CatalogIT.MUG;
    static final InMemorySpanExporter SERVER_SPANS = InMemorySpanExporter.create();
    static final InMemorySpanExporter CLIENT_SPANS = InMemorySpanExporter.create();
    static TestNatsServer natsServer;
    static TestDatabase db;
    static RunningApp catalog;
    static ServiceUnderTest sut;
    static TestTokens tokens;
    static Telemetry clientTelemetry;
    static ManagedChannel channel;
    static CatalogGrpc.CatalogBlockingStub stub;

    @BeforeAll
    static void start() {
        sut = ServiceUnderTest.create(Main.class, "catalog");
        tokens = sut.tokens;
        natsServer = sut.nats;
        db = sut.db;
        catalog = sut.start(config -> Main.start(config, Telemetry.forTests("catalog", SERVER_SPANS)), Map.of());
        clientTelemetry = sut.add(Telemetry.forTests("grpc-client", CLIENT_SPANS));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", catalog.port(CatalogGrpcRouting.SOCKET)).usePlaintext()
                .intercept(GrpcTracing.clientInterceptor(clientTelemetry.openTelemetry()), tenSecondsPerCall())
                .build();
        stub = CatalogGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        sut.close();
    }

    @Test
    void servesProductQueriesWithoutAToken() {
        Product mug = stub.getProduct(GetProductRequest.newBuilder().setId(MUG.toString()).build());
        assertThat(mug.getSku()).isEqualTo("MUG-BLUE");
        assertThat(mug.getPrice().getCurrency()).isEqualTo("EUR");
        assertThat(mug.getPrice().getAmount()).isEqualTo(1250);

        String unknown = UUID.randomUUID().toString();
        GetProductsReply reply = stub.getProducts(GetProductsRequest.newBuilder()
                .addIds(MUG.toString()).addIds(unknown).build());
        assertThat(reply.getProductsList()).extracting(Product::getSku).containsExactly("MUG-BLUE");
        assertThat(reply.getMissingList()).containsExactly(unknown);
    }

    @Test
    void mapsFailuresToGrpcStatusCodes() {
        assertStatus(() -> stub.getProduct(GetProductRequest.newBuilder().setId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND, "no product");
        assertStatus(() -> stub.getProduct(GetProductRequest.newBuilder().setId("not-a-uuid").build()),
                Status.Code.INVALID_ARGUMENT, "id must be a UUID");
        assertStatus(() -> stub.getProducts(GetProductsRequest.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "ids must hold 1..100");
        GetProductsRequest.Builder tooMany = GetProductsRequest.newBuilder();
        for (int i = 0; i < 101; i++) {
            tooMany.addIds(UUID.randomUUID().toString());
        }
        assertStatus(() -> stub.getProducts(tooMany.build()), Status.Code.INVALID_ARGUMENT, "ids must hold 1..100");
    }

    @Test
    void reservingStockNeedsACustomersToken() {
        ReserveStockRequest request = reserve(UUID.randomUUID(), MUG, 1);
        assertStatus(() -> stub.reserveStock(request), Status.Code.UNAUTHENTICATED, "");
        assertStatus(() -> as("not-a-jwt").reserveStock(request), Status.Code.UNAUTHENTICATED, "");
        assertStatus(() -> as(tokens.unsigned(TestTokens.claims("customer-1", "customer"))).reserveStock(request),
                Status.Code.UNAUTHENTICATED, "");
        assertStatus(() -> as(tokens.token("someone", "auditor")).reserveStock(request),
                Status.Code.PERMISSION_DENIED, "requires role customer or admin");
        int before = stock(MUG);
        assertThat(stock(MUG)).as("refused calls hold nothing").isEqualTo(before);

        ReserveStockReply reply = as(tokens.customer("customer-1")).reserveStock(request);
        assertThat(reply.getReserved()).isTrue();
        assertThat(reply.getOrderId()).isEqualTo(request.getOrderId());
        assertThat(reply.getProductsList()).extracting(Product::getSku).containsExactly("MUG-BLUE");
        assertThat(reply.getExpiresAt()).isNotEmpty();
        assertThat(stock(MUG)).isEqualTo(before - 1);

        ReserveStockReply again = as(tokens.customer("customer-1")).reserveStock(request);
        assertThat(again.getReserved()).as("a retry returns the same hold").isTrue();
        assertThat(stock(MUG)).isEqualTo(before - 1);
    }

    @Test
    void insufficientStockHoldsNothing() {
        int before = stock(MUG);
        UUID unknown = UUID.randomUUID();
        ReserveStockReply reply = as(tokens.customer("customer-2")).reserveStock(ReserveStockRequest.newBuilder()
                .setOrderId(UUID.randomUUID().toString())
                .addItems(item(MUG, 1000)).build());
        assertThat(reply.getReserved()).isFalse();
        assertThat(reply.getInsufficientList()).containsExactly(MUG.toString());
        assertThat(reply.getExpiresAt()).isEmpty();

        ReserveStockReply missing = as(tokens.customer("customer-2")).reserveStock(ReserveStockRequest.newBuilder()
                .setOrderId(UUID.randomUUID().toString())
                .addItems(item(MUG, 1)).addItems(item(unknown, 1)).build());
        assertThat(missing.getReserved()).isFalse();
        assertThat(missing.getMissingList()).containsExactly(unknown.toString());
        assertThat(stock(MUG)).as("all or nothing").isEqualTo(before);
    }

    @Test
    void reservationsAreValidatedAsOverNats() {
        CatalogGrpc.CatalogBlockingStub customer = as(tokens.customer("customer-3"));
        assertStatus(() -> customer.reserveStock(reserve(UUID.randomUUID(), MUG, 0)),
                Status.Code.INVALID_ARGUMENT, "items[0].quantity must be 1..1000");
        assertStatus(() -> customer.reserveStock(ReserveStockRequest.newBuilder().addItems(item(MUG, 1)).build()),
                Status.Code.INVALID_ARGUMENT, "orderId is required");
        assertStatus(() -> customer.reserveStock(ReserveStockRequest.newBuilder()
                        .setOrderId(UUID.randomUUID().toString()).build()),
                Status.Code.INVALID_ARGUMENT, "items must hold 1..100");
        assertStatus(() -> customer.reserveStock(ReserveStockRequest.newBuilder()
                        .setOrderId(UUID.randomUUID().toString())
                        .addItems(ReserveStockRequest.Item.newBuilder().setProductId("MUG").setQuantity(1)).build()),
                Status.Code.INVALID_ARGUMENT, "items[0].productId must be a UUID");
    }

    @Test
    void refusesAMessageOverThePayloadLimit() {
        GetProductsRequest.Builder big = GetProductsRequest.newBuilder();
        String padding = "x".repeat(1000);
        for (int i = 0; i < 70; i++) {
            big.addIds(padding);
        }
        assertStatus(() -> stub.getProducts(big.build()), Status.Code.RESOURCE_EXHAUSTED, "over 65536 bytes");
        // the connection is still good for the next call
        assertThat(stub.getProduct(GetProductRequest.newBuilder().setId(MUG.toString()).build()).getSku())
                .isEqualTo("MUG-BLUE");
    }

    @Test
    void tracesEachCallAfterTheRpcConventionsAcrossClientAndServer() {
        CLIENT_SPANS.reset(); // the other tests' calls are traced too; server spans are told apart by trace id
        as(tokens.customer("customer-4")).reserveStock(reserve(UUID.randomUUID(), MUG, 1));
        String method = "bazaar.catalog.v1.Catalog/ReserveStock";
        SpanData client = Await.value("client span", Duration.ofSeconds(5), () -> CLIENT_SPANS.getFinishedSpanItems()
                .stream().filter(span -> span.getName().equals(method)).findFirst().orElse(null));
        SpanData server = Await.value("server span", Duration.ofSeconds(5), () -> SERVER_SPANS.getFinishedSpanItems()
                .stream().filter(span -> span.getTraceId().equals(client.getTraceId()) && span.getName().equals(method))
                .findFirst().orElse(null));
        assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getParentSpanId()).as("context came in the metadata").isEqualTo(client.getSpanId());
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.system"))).isEqualTo("grpc");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.service"))).isEqualTo("bazaar.catalog.v1.Catalog");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.method"))).isEqualTo("ReserveStock");
        assertThat(server.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code"))).isEqualTo(0L);
        // the handler ran with the server span current: its SQL spans are in the same trace, below it
        List<SpanData> sql = SERVER_SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(client.getTraceId()) && span.getKind() == SpanKind.CLIENT)
                .toList();
        assertThat(sql).isNotEmpty().allSatisfy(span -> assertThat(span.getParentSpanId()).isNotEqualTo(
                client.getSpanId()));

        assertThatThrownBy(() -> stub.getProduct(GetProductRequest.newBuilder().setId("bad").build()));
        SpanData refused = Await.value("span of a refused call", Duration.ofSeconds(5), () -> SERVER_SPANS
                .getFinishedSpanItems().stream().filter(span -> span.getName().endsWith("/GetProduct")
                        && Long.valueOf(3).equals(span.getAttributes().get(AttributeKey.longKey("rpc.grpc.status_code"))))
                .findFirst().orElse(null));
        assertThat(refused.getStatus().getStatusCode()).as("INVALID_ARGUMENT is the caller's error, not the server's")
                .isEqualTo(io.opentelemetry.api.trace.StatusCode.UNSET);
    }

    /** Each call's own deadline (a stub's withDeadlineAfter is one instant, for every call made with it). */
    private static ClientInterceptor tenSecondsPerCall() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                       Channel next) {
                return next.newCall(method, options.withDeadlineAfter(10, TimeUnit.SECONDS));
            }
        };
    }

    private static CatalogGrpc.CatalogBlockingStub as(String token) {
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(GrpcSecurity.onBehalfOf(token)));
    }

    private static ReserveStockRequest reserve(UUID order, UUID product, int quantity) {
        return ReserveStockRequest.newBuilder().setOrderId(order.toString()).addItems(item(product, quantity)).build();
    }

    private static ReserveStockRequest.Item item(UUID product, int quantity) {
        return ReserveStockRequest.Item.newBuilder().setProductId(product.toString()).setQuantity(quantity).build();
    }

    private static int stock(UUID product) {
        return stub.getProduct(GetProductRequest.newBuilder().setId(product.toString()).build()).getStock();
    }

    private static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }
}
