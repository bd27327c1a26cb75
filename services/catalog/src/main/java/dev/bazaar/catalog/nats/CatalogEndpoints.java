package dev.bazaar.catalog.nats;

import dev.bazaar.catalog.CatalogService;
import dev.bazaar.catalog.Commitment;
import dev.bazaar.catalog.Product;
import dev.bazaar.catalog.Reservation;
import dev.bazaar.catalog.StockItem;
import dev.bazaar.catalog.StockService;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.CommitStockReply;
import dev.bazaar.contracts.catalog.CommitStockRequest;
import dev.bazaar.contracts.catalog.GetProductsReply;
import dev.bazaar.contracts.catalog.GetProductsRequest;
import dev.bazaar.contracts.catalog.ProductInfo;
import dev.bazaar.contracts.catalog.ReleaseStockReply;
import dev.bazaar.contracts.catalog.ReleaseStockRequest;
import dev.bazaar.contracts.catalog.ReserveStockReply;
import dev.bazaar.contracts.catalog.ReserveStockRequest;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.NatsSecurity;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RequestContext;
import dev.bazaar.messaging.RunningService;

import java.util.List;

/** Catalog's request-reply endpoints on NATS. */
public final class CatalogEndpoints {
    private final CatalogService catalog;
    private final StockService stock;
    private final NatsSecurity security;

    private CatalogEndpoints(CatalogService catalog, StockService stock, NatsSecurity security) {
        this.catalog = catalog;
        this.stock = stock;
        this.security = security;
    }

    /** Registers the endpoints on the Service API and starts serving. */
    public static RunningService start(NatsMessaging nats, CatalogService catalog, StockService stock,
                                       NatsSecurity security, String version) {
        CatalogEndpoints endpoints = new CatalogEndpoints(catalog, stock, security);
        return nats.service(CatalogSubjects.SERVICE, version, "Products, prices and stock")
                .errorMapper(NatsFailures.TO_SERVICE_ERROR)
                .endpoint(CatalogSubjects.GET_PRODUCTS, GetProductsRequest.class, GetProductsReply.class, endpoints::getProducts)
                .endpoint(CatalogSubjects.RESERVE_STOCK, ReserveStockRequest.class, ReserveStockReply.class, endpoints::reserveStock)
                .endpoint(CatalogSubjects.RELEASE_STOCK, ReleaseStockRequest.class, ReleaseStockReply.class, endpoints::releaseStock)
                .endpoint(CatalogSubjects.COMMIT_STOCK, CommitStockRequest.class, CommitStockReply.class, endpoints::commitStock)
                .start();
    }

    /** On a user's behalf: their access token must come along (a customer's, or an admin's). */
    private ReserveStockReply reserveStock(ReserveStockRequest request, RequestContext context) {
        security.caller(context, Caller.CUSTOMER, Caller.ADMIN);
        List<StockItem> items = request.items() == null ? null : request.items().stream()
                .map(item -> item == null ? null : new StockItem(item.productId(), item.quantity()))
                .toList();
        Reservation reservation = stock.reserve(request.orderId(), items);
        return new ReserveStockReply(reservation.orderId(), reservation.reserved(),
                reservation.products().stream().map(CatalogEndpoints::info).toList(),
                reservation.missing(), reservation.insufficient(), reservation.expiresAt());
    }

    /** Service to service (no user token): only orders may publish here, by NATS permissions; see docs/security.md. */
    private ReleaseStockReply releaseStock(ReleaseStockRequest request, RequestContext context) {
        return new ReleaseStockReply(request.orderId(), stock.release(request.orderId(), request.reason()));
    }

    /** Service to service (no user token): payments asks before charging; only payments may publish here. */
    private CommitStockReply commitStock(CommitStockRequest request, RequestContext context) {
        Commitment commitment = stock.commit(request.orderId());
        return new CommitStockReply(request.orderId(), commitment.committed(), commitment.reason());
    }

    private GetProductsReply getProducts(GetProductsRequest request, RequestContext context) {
        CatalogService.Lookup lookup = catalog.lookup(request.ids());
        return new GetProductsReply(lookup.found().stream().map(CatalogEndpoints::info).toList(), lookup.missing());
    }

    private static ProductInfo info(Product product) {
        return new ProductInfo(product.id(), product.sku(), product.name(), product.price(), product.stock());
    }
}
