package dev.bazaar.contracts.catalog;

/** The NATS subjects catalog serves (Service API name and queue group {@value #SERVICE}). */
public final class CatalogSubjects {
    /** The Service API name, group and queue group. */
    public static final String SERVICE = "catalog";
    /** Request {@link GetProductsRequest}, reply {@link GetProductsReply}. */
    public static final String GET_PRODUCTS = "catalog.get-products";
    /** Request {@link ReserveStockRequest}, reply {@link ReserveStockReply}. */
    public static final String RESERVE_STOCK = "catalog.reserve-stock";
    /** Request {@link ReleaseStockRequest}, reply {@link ReleaseStockReply}. */
    public static final String RELEASE_STOCK = "catalog.release-stock";
    /** Request {@link CommitStockRequest}, reply {@link CommitStockReply}. */
    public static final String COMMIT_STOCK = "catalog.commit-stock";

    private CatalogSubjects() {
    }
}
