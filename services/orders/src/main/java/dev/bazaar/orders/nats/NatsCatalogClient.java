package dev.bazaar.orders.nats;

import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.ReleaseStockReply;
import dev.bazaar.contracts.catalog.ReleaseStockRequest;
import dev.bazaar.contracts.catalog.ReserveStockReply;
import dev.bazaar.contracts.catalog.ReserveStockRequest;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.kit.security.NatsSecurity;
import dev.bazaar.messaging.RequestClient;
import dev.bazaar.orders.CatalogClient;
import dev.bazaar.orders.CatalogProduct;
import dev.bazaar.orders.Customer;
import dev.bazaar.orders.PlaceOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Catalog over NATS request-reply ({@value CatalogSubjects#RESERVE_STOCK}, {@value CatalogSubjects#RELEASE_STOCK}). */
public final class NatsCatalogClient implements CatalogClient {
    private final RequestClient requests;
    private final Duration timeout;

    public NatsCatalogClient(RequestClient requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    @Override
    public StockReservation reserve(UUID orderId, List<PlaceOrder.Item> items, Customer customer) {
        ReserveStockRequest request = new ReserveStockRequest(orderId, items.stream()
                .map(item -> new ReserveStockRequest.Item(item.productId(), item.quantity()))
                .toList());
        ReserveStockReply reply = NatsFailures.call(CatalogSubjects.SERVICE, () -> requests.requestIdempotent(
                CatalogSubjects.RESERVE_STOCK, request, NatsSecurity.onBehalfOf(customer.credential()),
                ReserveStockReply.class, timeout));
        return new StockReservation(reply.reserved(),
                reply.products().stream().map(p -> new CatalogProduct(p.id(), p.sku(), p.name(), p.price())).toList(),
                reply.missing(), reply.insufficient());
    }

    @Override
    public void release(UUID orderId, String reason) {
        NatsFailures.call(CatalogSubjects.SERVICE, () -> requests.requestIdempotent(CatalogSubjects.RELEASE_STOCK,
                new ReleaseStockRequest(orderId, reason), Map.of(), ReleaseStockReply.class, timeout));
    }
}
