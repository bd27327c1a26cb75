package dev.bazaar.orders.nats;

import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.GetProductsReply;
import dev.bazaar.contracts.catalog.GetProductsRequest;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.messaging.RequestClient;
import dev.bazaar.orders.CatalogClient;
import dev.bazaar.orders.CatalogProduct;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** Catalog over NATS request-reply ({@value CatalogSubjects#GET_PRODUCTS}). */
public final class NatsCatalogClient implements CatalogClient {
    private final RequestClient requests;
    private final Duration timeout;

    public NatsCatalogClient(RequestClient requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    @Override
    public List<CatalogProduct> products(Collection<UUID> ids) {
        GetProductsReply reply = NatsFailures.call(CatalogSubjects.SERVICE, () -> requests.request(
                CatalogSubjects.GET_PRODUCTS, new GetProductsRequest(List.copyOf(ids)), GetProductsReply.class, timeout));
        return reply.products().stream()
                .map(p -> new CatalogProduct(p.id(), p.sku(), p.name(), p.price()))
                .toList();
    }
}
