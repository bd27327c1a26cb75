package dev.bazaar.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator against a real (tiny) HTTP server on this machine: what it sends and what it records. */
class LoadgenAgainstHttpServerIT {
    @TempDir
    Path dir;

    private JsonNode run(TinyShop shop, String... options) throws Exception {
        Path json = dir.resolve("result.json");
        List<String> args = new ArrayList<>(List.of("--catalog", shop.base(), "--orders", shop.base(), "--identity",
                shop.base(), "--notifications", shop.base(), "--users", "2", "--json", json.toString()));
        args.addAll(List.of(options));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(LoadSettings.parse(args.toArray(String[]::new)), new PrintStream(out, true));
        assertThat(status).as(out.toString()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void anOpenLoopKeepsItsRateAndCountsTheQueueBehindASlowServerAsLatency() throws Exception {
        try (TinyShop shop = new TinyShop(0)) {
            shop.readMillis = 20; // one at a time: at most 50 reads/s, below the 100/s offered
            JsonNode result = run(shop, "--scenario", "get-product", "--rate", "100", "--duration", "2s",
                    "--timeout", "10s", "--max-in-flight", "1000");
            JsonNode reads = result.at("/operations/read product");
            // the arrivals do not slow down with the server: all 200 were sent and answered
            assertThat(reads.get("count").asLong()).isEqualTo(200);
            assertThat(result.get("dropped").asLong()).isZero();
            // each waits for those before it: the last ~100 queue up to ~2 s; a generator measuring from the send of
            // a closed loop would show 20 ms
            assertThat(reads.get("p90_ms").asDouble()).isGreaterThan(1_000);
            assertThat(reads.get("p50_ms").asDouble()).isGreaterThan(500);
            assertThat(result.at("/settings/loop").asText()).isEqualTo("open");
        }
    }

    @Test
    void aClosedLoopSendsAsFastAsTheServerAnswers() throws Exception {
        try (TinyShop shop = new TinyShop(0)) {
            shop.readMillis = 20;
            Path mark = dir.resolve("measuring");
            JsonNode result = run(shop, "--scenario", "get-product", "--connections", "1", "--duration", "1s",
                    "--warmup", "300ms", "--mark-measured", mark.toString());
            JsonNode reads = result.at("/operations/read product");
            // the mark (make bench starts counting CPU at it) is written after the warm-up, a measured second before
            // the end
            Instant measuring = Instant.parse(Files.readString(mark).trim());
            assertThat(Duration.between(measuring, Instant.parse(result.get("finished_at").asText())))
                    .isBetween(Duration.ofMillis(950), Duration.ofSeconds(3));
            // one connection, 20 ms a read: about 50 in a second, each taking about 20 ms
            assertThat(reads.get("count").asLong()).isBetween(25L, 52L);
            assertThat(reads.get("p50_ms").asDouble()).isBetween(19.0, 60.0);
            assertThat(result.at("/settings/connections").asInt()).isEqualTo(1);
        }
    }

    @Test
    void theSagaIsTimedFromTheOrderToItsConfirmationByPolling() throws Exception {
        try (TinyShop shop = new TinyShop(50)) {
            JsonNode result = run(shop, "--scenario", "saga", "--observe", "poll", "--rate", "40", "--duration", "1s");
            JsonNode saga = result.at("/operations/saga");
            assertThat(saga.get("count").asLong()).isEqualTo(40);
            assertThat(saga.at("/outcomes/CONFIRMED").asLong()).isEqualTo(40);
            assertThat(saga.get("p50_ms").asDouble()).isBetween(49.0, 150.0);
            assertThat(result.at("/operations/place order/count").asLong()).isEqualTo(40);
            // every POST carried its own Idempotency-Key
            assertThat(shop.idempotencyKeys).hasSize(shop.posts.get()).hasSizeGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void theSagaIsTimedFromTheLiveNotificationStream() throws Exception {
        try (TinyShop shop = new TinyShop(30)) {
            JsonNode result = run(shop, "--scenario", "saga", "--observe", "sse", "--rate", "50", "--duration", "1s");
            JsonNode saga = result.at("/operations/saga");
            assertThat(saga.get("count").asLong()).isEqualTo(50);
            assertThat(saga.get("errors").asLong()).isZero();
            assertThat(saga.get("p50_ms").asDouble()).isBetween(29.0, 120.0);
            assertThat(result.at("/settings/observe").asText()).isEqualTo("sse");
        }
    }
}
