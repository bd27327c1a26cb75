package dev.bazaar.catalog.grpc;

import dev.bazaar.kit.GrpcServing;
import dev.bazaar.kit.security.GrpcSecurity;
import dev.bazaar.observability.GrpcTracing;
import io.helidon.config.Config;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.http2.Http2Config;
import io.opentelemetry.api.OpenTelemetry;

/**
 * Catalog's gRPC listener: its own port ({@code grpc.port}, in application.yaml; 0 picks a free one) with the HTTP port's
 * host and TLS, HTTP/2 with the gRPC sub-protocol only and no HTTP routes. Its own port because Helidon's HTTP/2
 * does not apply {@code max-payload-size} to HTTP requests; here the message limit is {@link GrpcServing}'s.
 * Interceptors: tracing outermost (every call gets a span, refused ones too), then the message limit, then the
 * token's carrier. TCP_NODELAY on, as every gRPC server sets it.
 */
public final class CatalogGrpcRouting {
    /** The listener's name, for {@code RunningApp.port}. */
    public static final String SOCKET = "grpc";

    private CatalogGrpcRouting() {
    }

    public static ListenerConfig listener(Config config, CatalogGrpcService service, OpenTelemetry openTelemetry) {
        long maxMessage = config.get("server.max-payload-size").asLong().get();
        return ListenerConfig.builder()
                .config(config.get("server"))
                .name(SOCKET)
                .port(config.get("grpc.port").asInt().get())
                // Helidon's default keeps Nagle on: a call's HEADERS, DATA and trailers frames then waited for the
                // client's delayed ACK, ~40 ms a call (tools/rpc-bench: gRPC p50 46 ms beside NATS's 2.6 ms)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .protocolsDiscoverServices(false)
                .addProtocol(Http2Config.create())
                .addProtocol(GrpcConfig.create())
                .addRouting(GrpcRouting.builder()
                        .intercept(GrpcTracing.serverInterceptor(openTelemetry), GrpcServing.messageLimit(maxMessage),
                                GrpcSecurity.interceptor())
                        .service(service))
                .build();
    }
}
