package dev.bazaar.observability;

import java.util.List;

import dev.bazaar.testing.TestDatabase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.bazaar.observability.SemanticConventions.DB_COLLECTION_NAME;
import static dev.bazaar.observability.SemanticConventions.DB_NAMESPACE;
import static dev.bazaar.observability.SemanticConventions.DB_OPERATION_NAME;
import static dev.bazaar.observability.SemanticConventions.DB_QUERY_TEXT;
import static dev.bazaar.observability.SemanticConventions.DB_RESPONSE_STATUS_CODE;
import static dev.bazaar.observability.SemanticConventions.DB_SYSTEM_NAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("try")   // scopes are opened only to make a span current
class SqlTracingIT {
    /** Stands for personal data: it must not appear anywhere in the exported spans. */
    private static final String SECRET = "alice@example.com";

    private static final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private static TestDatabase database;
    private static Telemetry telemetry;
    private static Tracer tracer;
    private static Jdbi jdbi;

    @BeforeAll
    static void setUp() {
        database = TestDatabase.create("observability");
        telemetry = Telemetry.forTests("sql-test", exporter);
        tracer = telemetry.openTelemetry().getTracer("test");
        jdbi = Jdbi.create(database.url(), database.user(), database.password());
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE things (id int PRIMARY KEY, owner text NOT NULL)"));
        SqlTracing.install(jdbi, telemetry.openTelemetry(), "bazaar_things");
        SqlTracing.install(jdbi, telemetry.openTelemetry(), "bazaar_things");   // must not double the spans
    }

    @AfterAll
    static void tearDown() {
        if (telemetry != null) {
            telemetry.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void clearSpans() {
        exporter.reset();
    }

    @Test
    void insertAndSelectBecomeClientSpansWithoutBoundValues() {
        Span parent = tracer.spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            jdbi.useHandle(handle -> {
                handle.createUpdate("INSERT INTO things (id, owner) VALUES (:id, :owner)")
                        .bind("id", 1).bind("owner", SECRET).execute();
                String owner = handle.createQuery("SELECT owner FROM things WHERE owner = :owner")
                        .bind("owner", SECRET).mapTo(String.class).one();
                assertThat(owner).isEqualTo(SECRET);
            });
        } finally {
            parent.end();
        }

        List<SpanData> sql = sqlSpans(parent);
        assertThat(sql).extracting(SpanData::getName).containsExactly("INSERT things", "SELECT things");
        SpanData insert = sql.get(0);
        assertThat(insert.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(insert.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
        assertThat(insert.getAttributes().get(DB_SYSTEM_NAME)).isEqualTo("postgresql");
        assertThat(insert.getAttributes().get(DB_NAMESPACE)).isEqualTo("bazaar_things");
        assertThat(insert.getAttributes().get(DB_OPERATION_NAME)).isEqualTo("INSERT");
        assertThat(insert.getAttributes().get(DB_COLLECTION_NAME)).isEqualTo("things");
        assertThat(insert.getAttributes().get(DB_QUERY_TEXT)).isEqualTo("INSERT INTO things (id, owner) VALUES (?, ?)");
        assertThat(sql.get(1).getAttributes().get(DB_QUERY_TEXT)).isEqualTo("SELECT owner FROM things WHERE owner = ?");
        assertThat(insert.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        sql.forEach(SqlTracingIT::assertNoSecret);
    }

    @Test
    void batchIsOneSpan() {
        Span parent = tracer.spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            jdbi.useHandle(handle -> {
                var batch = handle.prepareBatch("INSERT INTO things (id, owner) VALUES (:id, :owner)");
                for (int id = 10; id < 13; id++) {
                    batch.bind("id", id).bind("owner", SECRET).add();
                }
                batch.execute();
            });
        } finally {
            parent.end();
        }

        assertThat(sqlSpans(parent)).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("INSERT things");
            assertThat(span.getAttributes().get(DB_OPERATION_NAME)).isEqualTo("INSERT");
            assertThat(span.getAttributes().get(DB_QUERY_TEXT)).isEqualTo("INSERT INTO things (id, owner) VALUES (?, ?)");
            assertNoSecret(span);
        });
    }

    @Test
    void scriptBatchIsNamedBatch() {
        Span parent = tracer.spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            jdbi.useHandle(handle -> handle.createBatch()
                    .add("INSERT INTO things (id, owner) VALUES (20, 'alice@example.com')")
                    .add("DELETE FROM things WHERE id = 20")
                    .execute());
        } finally {
            parent.end();
        }

        assertThat(sqlSpans(parent)).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("BATCH");
            assertThat(span.getAttributes().get(DB_OPERATION_NAME)).isEqualTo("BATCH");
            assertNoSecret(span);
        });
    }

    @Test
    void failureSetsErrorWithoutLeakingTheValue() {
        Span parent = tracer.spanBuilder("request").startSpan();
        try (Scope ignored = parent.makeCurrent()) {
            jdbi.useHandle(handle -> handle.execute("INSERT INTO things (id, owner) VALUES (?, ?)", 99, SECRET));
            assertThatThrownBy(() -> jdbi.useHandle(handle -> handle.createUpdate(
                    "INSERT INTO things (id, owner) VALUES (:id, :owner)").bind("id", 99).bind("owner", SECRET).execute()))
                    .isInstanceOf(UnableToExecuteStatementException.class)
                    .hasMessageContaining("99");   // the database's own message does carry values
        } finally {
            parent.end();
        }

        List<SpanData> sql = sqlSpans(parent);
        assertThat(sql).hasSize(2);
        SpanData failed = sql.get(1);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(DB_RESPONSE_STATUS_CODE)).isEqualTo("23505");
        assertThat(failed.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().get(SemanticConventions.EXCEPTION_TYPE)).isEqualTo("org.postgresql.util.PSQLException");
        });
        sql.forEach(SqlTracingIT::assertNoSecret);
    }

    @Test
    void withoutParentSpanNothingIsTraced() {
        // Background work (an outbox poll, a sweep) runs outside any request: a root trace per statement is noise.
        jdbi.useHandle(handle -> handle.createQuery("SELECT count(*) FROM things").mapTo(Integer.class).one());

        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    /** Spans of the parent's trace; SimpleSpanProcessor exports on end(), so they are all there already. */
    private static List<SpanData> sqlSpans(Span parent) {
        return exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(parent.getSpanContext().getTraceId()))
                .filter(span -> span.getKind() == SpanKind.CLIENT)
                .toList();
    }

    private static void assertNoSecret(SpanData span) {
        assertThat(span.getName()).doesNotContain(SECRET);
        span.getAttributes().forEach((AttributeKey<?> key, Object value) ->
                assertThat(String.valueOf(value)).as("attribute %s", key).doesNotContain(SECRET));
        span.getEvents().forEach(event -> event.getAttributes().forEach((key, value) ->
                assertThat(String.valueOf(value)).as("event attribute %s", key).doesNotContain(SECRET).doesNotContain("(99)")));
    }
}
