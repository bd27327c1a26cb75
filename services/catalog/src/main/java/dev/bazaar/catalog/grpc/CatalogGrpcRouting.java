package dev.bazaar.catalog.grpc;

import dev.bazaar.kit.GrpcServing;
import dev.bazaar.kit.security.GrpcSecurity;
import dev.bazaar.observability.GrpcTracing;
import io.helidon.webserver.grpc.GrpcRouting;
import io.opentelemetry.api.OpenTelemetry;

/** Catalog's gRPC routing, served on the HTTP port (HTTP/2): tracing outermost, then the message limit, then auth. */
public final class CatalogGrpcRouting {
    private CatalogGrpcRouting() {
    }

    public static GrpcRouting.Builder routing(CatalogGrpcService service, OpenTelemetry openTelemetry,
                                              long maxMessageBytes) {
        return GrpcRouting.builder()
                .intercept(GrpcTracing.serverInterceptor(openTelemetry), GrpcServing.messageLimit(maxMessageBytes),
                        GrpcSecurity.interceptor())
                .service(service);
    }
}
