package dev.bazaar.identity;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link SigningKeyRepository} guarantees; run against the fake and against PostgreSQL. Each test starts
 * with no keys (one key is active at a time, across the whole repository).
 */
abstract class SigningKeyRepositoryContract {
    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

    abstract SigningKeyRepository keys();

    @Test
    void storesTheFirstActiveKeyOnly() {
        SigningKey first = key(t0);

        assertThat(keys().insertIfNoneActive(first)).isTrue();
        assertThat(keys().insertIfNoneActive(key(t0.plusSeconds(1)))).as("another instance won").isFalse();

        assertThat(keys().findActive()).get().usingRecursiveComparison().isEqualTo(first);
        assertThat(keys().published(t0)).extracting(SigningKey::kid).containsExactly(first.kid());
    }

    @Test
    void aRotationRetiresTheActiveKeyWhichIsPublishedNewestFirstUntilItsCutOff() {
        SigningKey a = key(t0);
        SigningKey b = key(t0.plusSeconds(1));
        SigningKey c = key(t0.plusSeconds(2));
        keys().insertIfNoneActive(a);

        keys().rotate(b, t0.plusSeconds(10));
        keys().rotate(c, t0.plusSeconds(20));

        assertThat(keys().findActive()).get().extracting(SigningKey::kid).isEqualTo(c.kid());
        assertThat(keys().published(t0)).extracting(SigningKey::kid).containsExactly(c.kid(), b.kid(), a.kid());
        assertThat(keys().published(t0.plusSeconds(10))).extracting(SigningKey::kid).containsExactly(c.kid(), b.kid());
        assertThat(keys().published(t0.plusSeconds(20))).extracting(SigningKey::kid).containsExactly(c.kid());
        assertThat(keys().published(t0).get(1).retiredAt()).isEqualTo(t0.plusSeconds(20));
        assertThat(keys().published(t0).get(1).status()).isEqualTo(SigningKey.Status.RETIRED);
    }

    @Test
    void replacesAStoredPrivateKey() {
        SigningKey key = key(t0);
        keys().insertIfNoneActive(key);
        byte[] sealed = "sealed".getBytes(StandardCharsets.US_ASCII);

        keys().updatePrivateKey(key.kid(), sealed);

        assertThat(keys().findActive().orElseThrow().privateKey()).isEqualTo(sealed);
    }

    @Test
    void deletesTheKeysRetiredBeforeTheCutOffNeverTheActiveOne() {
        SigningKey a = key(t0);
        SigningKey b = key(t0.plusSeconds(1));
        SigningKey c = key(t0.plusSeconds(2));
        keys().insertIfNoneActive(a);
        keys().rotate(b, t0.plusSeconds(10));
        keys().rotate(c, t0.plusSeconds(20));

        assertThat(keys().deleteRetiredBefore(t0.plusSeconds(20))).isEqualTo(1);
        assertThat(keys().deleteRetiredBefore(t0.plusSeconds(20))).isZero();

        assertThat(keys().published(t0)).extracting(SigningKey::kid).containsExactly(c.kid(), b.kid());
        assertThat(keys().deleteRetiredBefore(t0.plusSeconds(60))).isEqualTo(1);
        assertThat(keys().findActive()).get().extracting(SigningKey::kid).isEqualTo(c.kid());
    }

    static SigningKey key(Instant createdAt) {
        String kid = UUID.randomUUID().toString();
        return new SigningKey(kid, "RS256", Map.of("kid", kid, "kty", "RSA", "alg", "RS256", "use", "sig"),
                ("pkcs8-" + kid).getBytes(StandardCharsets.US_ASCII), SigningKey.Status.ACTIVE, createdAt, null);
    }
}
