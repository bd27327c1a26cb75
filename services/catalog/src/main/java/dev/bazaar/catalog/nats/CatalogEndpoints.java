package dev.bazaar.catalog.nats;

import dev.bazaar.catalog.CatalogService;
import dev.bazaar.catalog.Product;
import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.GetProductsReply;
import dev.bazaar.contracts.catalog.GetProductsRequest;
import dev.bazaar.contracts.catalog.ProductInfo;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.messaging.NatsMessaging;
import dev.bazaar.messaging.RequestContext;
import dev.bazaar.messaging.RunningService;

/** Catalog's request-reply endpoints on NATS. */
public final class CatalogEndpoints {
    private final CatalogService catalog;

    private CatalogEndpoints(CatalogService catalog) {
        this.catalog = catalog;
    }

    /** Registers the endpoints on the Service API and starts serving. */
    public static RunningService start(NatsMessaging nats, CatalogService catalog, String version) {
        CatalogEndpoints endpoints = new CatalogEndpoints(catalog);
        return nats.service(CatalogSubjects.SERVICE, version, "Products, prices and stock")
                .errorMapper(NatsFailures.TO_SERVICE_ERROR)
                .endpoint(CatalogSubjects.GET_PRODUCTS, GetProductsRequest.class, endpoints::getProducts)
                .start();
    }

    private GetProductsReply getProducts(GetProductsRequest request, RequestContext context) {
        CatalogService.Lookup lookup = catalog.lookup(request.ids());
        return new GetProductsReply(lookup.found().stream().map(CatalogEndpoints::info).toList(), lookup.missing());
    }

    private static ProductInfo info(Product product) {
        return new ProductInfo(product.id(), product.sku(), product.name(), product.price(), product.stock());
    }
}
