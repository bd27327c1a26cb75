package dev.bazaar.catalog.nats;

import dev.bazaar.catalog.CatalogService;
import dev.bazaar.catalog.Product;
import dev.bazaar.catalog.Reservation;
import dev.bazaar.catalog.StockItem;
import dev.bazaar.catalog.StockService;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.GetProductsReply;
import dev.bazaar.contracts.catalog.GetProductsRequest;
import dev.bazaar.contracts.catalog.ProductInfo;
import dev.bazaar.contracts.catalog.ReleaseStockReply;
import dev.bazaar.contracts.catalog.ReleaseStockRequest;
import dev.bazaar.contracts.catalog.ReserveStockReply;
import dev.bazaar.contracts.catalog.ReserveStockRequest;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RequestContext;
import dev.bazaar.messaging.RunningService;

import java.util.List;

/** Catalog's request-reply endpoints on NATS. */
public final class CatalogEndpoints {
    private final CatalogService catalog;
    private final StockService stock;

    private CatalogEndpoints(CatalogService catalog, StockService stock) {
        this.catalog = catalog;
        this.stock = stock;
    }

    /** Registers the endpoints on the Service API and starts serving. */
    public static RunningService start(NatsMessaging nats, CatalogService catalog, StockService stock, String version) {
        CatalogEndpoints endpoints = new CatalogEndpoints(catalog, stock);
        return nats.service(CatalogSubjects.SERVICE, version, "Products, prices and stock")
                .errorMapper(NatsFailures.TO_SERVICE_ERROR)
                .endpoint(CatalogSubjects.GET_PRODUCTS, GetProductsRequest.class, endpoints::getProducts)
                .endpoint(CatalogSubjects.RESERVE_STOCK, ReserveStockRequest.class, endpoints::reserveStock)
                .endpoint(CatalogSubjects.RELEASE_STOCK, ReleaseStockRequest.class, endpoints::releaseStock)
                .start();
    }

    private ReserveStockReply reserveStock(ReserveStockRequest request, RequestContext context) {
        List<StockItem> items = request.items() == null ? null : request.items().stream()
                .map(item -> item == null ? null : new StockItem(item.productId(), item.quantity()))
                .toList();
        Reservation reservation = stock.reserve(request.orderId(), items);
        return new ReserveStockReply(reservation.orderId(), reservation.reserved(),
                reservation.products().stream().map(CatalogEndpoints::info).toList(),
                reservation.missing(), reservation.insufficient(), reservation.expiresAt());
    }

    private ReleaseStockReply releaseStock(ReleaseStockRequest request, RequestContext context) {
        return new ReleaseStockReply(request.orderId(), stock.release(request.orderId(), request.reason()));
    }

    private GetProductsReply getProducts(GetProductsRequest request, RequestContext context) {
        CatalogService.Lookup lookup = catalog.lookup(request.ids());
        return new GetProductsReply(lookup.found().stream().map(CatalogEndpoints::info).toList(), lookup.missing());
    }

    private static ProductInfo info(Product product) {
        return new ProductInfo(product.id(), product.sku(), product.name(), product.price(), product.stock());
    }
}
