package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ClientRepository} guarantees; run against the fake and against PostgreSQL. */
abstract class ClientRepositoryContract {
    abstract ClientRepository clients();

    @Test
    void storesAClientAndReplacesItBySavingItsIdAgain() {
        String id = "client-" + UUID.randomUUID();
        OAuthClient first = new OAuthClient(id, "$argon2id$first", List.of("service"), List.of("orders", "catalog"));
        OAuthClient second = new OAuthClient(id, "$argon2id$second", List.of("admin"), List.of());

        clients().save(first);
        assertThat(clients().find(id)).contains(first);

        clients().save(second);
        assertThat(clients().find(id)).contains(second);
        assertThat(clients().find("client-" + UUID.randomUUID())).isEmpty();
    }
}
