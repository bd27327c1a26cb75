package dev.bazaar.catalog.grpc;

import dev.bazaar.catalog.CatalogService;
import dev.bazaar.catalog.Product;
import dev.bazaar.catalog.Reservation;
import dev.bazaar.catalog.StockItem;
import dev.bazaar.catalog.StockService;
import dev.bazaar.contracts.Failure;
import dev.bazaar.grpc.catalog.v1.CatalogGrpc;
import dev.bazaar.grpc.catalog.v1.GetProductRequest;
import dev.bazaar.grpc.catalog.v1.GetProductsReply;
import dev.bazaar.grpc.catalog.v1.GetProductsRequest;
import dev.bazaar.grpc.catalog.v1.Money;
import dev.bazaar.grpc.catalog.v1.ReserveStockReply;
import dev.bazaar.grpc.catalog.v1.ReserveStockRequest;
import dev.bazaar.kit.GrpcServing;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.GrpcSecurity;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Catalog's gRPC service ({@code bazaar.catalog.v1.Catalog}, proto in services/grpc-contracts): the same use cases
 * as the NATS endpoints, so the same validation, limits and outcomes; only the encoding differs. Ids travel as UUID
 * strings; a malformed one is {@code INVALID_ARGUMENT}, like a malformed JSON id.
 */
public final class CatalogGrpcService extends CatalogGrpc.CatalogImplBase {
    private final CatalogService catalog;
    private final StockService stock;
    private final GrpcSecurity security;

    public CatalogGrpcService(CatalogService catalog, StockService stock, GrpcSecurity security) {
        this.catalog = catalog;
        this.stock = stock;
        this.security = security;
    }

    @Override
    public void getProduct(GetProductRequest request, StreamObserver<dev.bazaar.grpc.catalog.v1.Product> response) {
        GrpcServing.unary(response, () -> product(catalog.get(uuid(request.getId(), "id"))));
    }

    @Override
    public void getProducts(GetProductsRequest request, StreamObserver<GetProductsReply> response) {
        GrpcServing.unary(response, () -> {
            CatalogService.Lookup lookup = catalog.lookup(uuids(request.getIdsList(), "ids"));
            return GetProductsReply.newBuilder()
                    .addAllProducts(lookup.found().stream().map(CatalogGrpcService::product).toList())
                    .addAllMissing(strings(lookup.missing()))
                    .build();
        });
    }

    /** On a user's behalf: their access token must come along (a customer's, or an admin's). */
    @Override
    public void reserveStock(ReserveStockRequest request, StreamObserver<ReserveStockReply> response) {
        GrpcServing.unary(response, () -> {
            security.caller(Caller.CUSTOMER, Caller.ADMIN);
            UUID orderId = request.getOrderId().isEmpty() ? null : uuid(request.getOrderId(), "orderId");
            List<StockItem> items = new ArrayList<>(request.getItemsCount());
            for (int i = 0; i < request.getItemsCount(); i++) {
                ReserveStockRequest.Item item = request.getItems(i);
                items.add(new StockItem(uuid(item.getProductId(), "items[" + i + "].productId"), item.getQuantity()));
            }
            Reservation reservation = stock.reserve(orderId, items);
            ReserveStockReply.Builder reply = ReserveStockReply.newBuilder()
                    .setOrderId(reservation.orderId().toString())
                    .setReserved(reservation.reserved())
                    .addAllProducts(reservation.products().stream().map(CatalogGrpcService::product).toList())
                    .addAllMissing(strings(reservation.missing()))
                    .addAllInsufficient(strings(reservation.insufficient()));
            if (reservation.expiresAt() != null) {
                reply.setExpiresAt(reservation.expiresAt().toString());
            }
            return reply.build();
        });
    }

    private static dev.bazaar.grpc.catalog.v1.Product product(Product product) {
        return dev.bazaar.grpc.catalog.v1.Product.newBuilder()
                .setId(product.id().toString())
                .setSku(product.sku())
                .setName(product.name())
                .setPrice(Money.newBuilder().setAmount(product.price().amount())
                        .setCurrency(product.price().currency()))
                .setStock(product.stock())
                .build();
    }

    private static List<UUID> uuids(List<String> values, String field) {
        List<UUID> ids = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            ids.add(uuid(values.get(i), field + "[" + i + "]"));
        }
        return ids;
    }

    /** Proto3 has no null: an empty string is a missing id. Only the canonical 36-character form is accepted. */
    private static UUID uuid(String value, String field) {
        if (value.isEmpty()) {
            throw Failure.invalid(field + " is required");
        }
        try {
            UUID id = UUID.fromString(value);
            if (value.length() == 36) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as a wrong length
        }
        throw Failure.invalid(field + " must be a UUID");
    }

    private static List<String> strings(List<UUID> ids) {
        return ids.stream().map(UUID::toString).toList();
    }
}
