package dev.bazaar.catalog.http;

import dev.bazaar.catalog.CatalogService;
import dev.bazaar.catalog.Product;
import dev.bazaar.kit.Pages;
import dev.bazaar.kit.Requests;
import dev.bazaar.kit.security.Caller;
import dev.bazaar.kit.security.HttpSecurity;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /products}: list, get and create products. */
public final class ProductRoutes implements HttpService {
    private final CatalogService catalog;

    public ProductRoutes(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::get)
                .post("/", HttpSecurity.rolesAllowed(Caller.ADMIN), this::create);
    }

    private void list(ServerRequest req, ServerResponse res) {
        int limit = Pages.limit(req);
        Pages.Page<Product> page = Pages.Page.of(catalog.list(Pages.textCursor(req).orElse(null), limit + 1), limit,
                product -> Pages.cursor(product.sku()));
        res.send(new ProductPage(page.items().stream().map(ProductBody::of).toList(), page.next()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(ProductBody.of(catalog.get(Requests.uuidParam(req, "id"))));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Product created = catalog.create(Requests.body(req, NewProductBody.class).toProduct());
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/products/" + created.id())
                .send(ProductBody.of(created));
    }
}
