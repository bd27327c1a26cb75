package dev.bazaar.payments.nats;

import dev.bazaar.contracts.catalog.CatalogSubjects;
import dev.bazaar.contracts.catalog.CommitStockReply;
import dev.bazaar.contracts.catalog.CommitStockRequest;
import dev.bazaar.kit.NatsFailures;
import dev.bazaar.messaging.RequestClient;
import dev.bazaar.payments.OrderStock;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Catalog's {@value CatalogSubjects#COMMIT_STOCK} over NATS request-reply (service to service, no user token). */
public final class NatsOrderStock implements OrderStock {
    private final RequestClient requests;
    private final Duration timeout;

    public NatsOrderStock(RequestClient requests, Duration timeout) {
        this.requests = requests;
        this.timeout = timeout;
    }

    @Override
    public Commit commit(UUID orderId) {
        CommitStockReply reply = NatsFailures.call(CatalogSubjects.SERVICE, () -> requests.requestIdempotent(
                CatalogSubjects.COMMIT_STOCK, new CommitStockRequest(orderId), Map.of(), CommitStockReply.class, timeout));
        return new Commit(reply.committed(), reply.reason());
    }
}
