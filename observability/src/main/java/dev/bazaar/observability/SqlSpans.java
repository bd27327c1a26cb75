package dev.bazaar.observability;

import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jdbi.v3.core.statement.Batch;
import org.jdbi.v3.core.statement.ParsedSql;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import static dev.bazaar.observability.SemanticConventions.DB_COLLECTION_NAME;
import static dev.bazaar.observability.SemanticConventions.DB_NAMESPACE;
import static dev.bazaar.observability.SemanticConventions.DB_OPERATION_NAME;
import static dev.bazaar.observability.SemanticConventions.DB_QUERY_SUMMARY;
import static dev.bazaar.observability.SemanticConventions.DB_QUERY_TEXT;
import static dev.bazaar.observability.SemanticConventions.DB_RESPONSE_STATUS_CODE;
import static dev.bazaar.observability.SemanticConventions.DB_SYSTEM_NAME;
import static dev.bazaar.observability.SemanticConventions.ERROR_TYPE;
import static dev.bazaar.observability.SemanticConventions.EXCEPTION_MESSAGE;
import static dev.bazaar.observability.SemanticConventions.EXCEPTION_STACKTRACE;
import static dev.bazaar.observability.SemanticConventions.EXCEPTION_TYPE;

/**
 * The JDBI {@link SqlLogger} behind {@link SqlTracing}: JDBI calls it on the executing thread right before and after
 * the JDBC call, so the span brackets exactly the database round trip (not the later reading of rows).
 */
final class SqlSpans implements SqlLogger {
    private static final String SYSTEM = "postgresql";
    /** Distinct statements in a service are few; the cap only guards against SQL built with inline values. */
    private static final int SUMMARY_CACHE_LIMIT = 1_000;

    private final Tracer tracer;
    private final String databaseName;
    private final SqlLogger next;
    /** Spans between before and after; keyed by identity (StatementContext does not override equals). */
    private final Map<StatementContext, Span> open = new ConcurrentHashMap<>();
    private final Map<String, QuerySummary> summaries = new ConcurrentHashMap<>();

    SqlSpans(OpenTelemetry openTelemetry, String databaseName, SqlLogger next) {
        this.tracer = openTelemetry.getTracer(SemanticConventions.SCOPE);
        this.databaseName = databaseName;
        this.next = next == null ? SqlLogger.NOP_SQL_LOGGER : next;
    }

    /** The logger that was configured before this one; it still receives every call. */
    SqlLogger next() {
        return next;
    }

    @Override
    public void logBeforeExecution(StatementContext context) {
        next.logBeforeExecution(context);
        if (!Span.fromContext(Context.current()).getSpanContext().isValid()) {
            // Only statements of traced work (a request, a message) are traced: background polls and sweeps that
            // find nothing to do would otherwise each start a one-span root trace.
            return;
        }
        try {
            Span span = startSpan(context);
            Span previous = open.put(context, span);
            if (previous != null) {
                previous.end();
            }
            // JDBI skips logAfterExecution and logException when execution fails with a RuntimeException;
            // closing the statement still runs this, so the span cannot stay open forever.
            context.addCleanable(() -> end(context));
        } catch (RuntimeException e) {
            // tracing must never break a query
        }
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        try {
            end(context);
        } finally {
            next.logAfterExecution(context);
        }
    }

    @Override
    public void logException(StatementContext context, SQLException failure) {
        try {
            Span span = open.remove(context);
            if (span != null) {
                recordFailure(span, failure);
                span.end();
            }
        } finally {
            next.logException(context, failure);
        }
    }

    private Span startSpan(StatementContext context) {
        QuerySummary query = summarize(statementText(context));
        String operation = query.operation();
        String summary = query.summary();
        if (operation == null && isType(context, Batch.class)) {
            // a JDBI Batch runs several unrelated statements and exposes no text: "BATCH" per the conventions
            operation = "BATCH";
            summary = operation;
        }
        // A PreparedBatch keeps its plain name (INSERT order_lines): JDBI does not tell its size here, and the
        // conventions want a batch of one reported as a single operation, so "BATCH INSERT" could be wrong.
        AttributesBuilder attributes = Attributes.builder()
                .put(DB_SYSTEM_NAME, SYSTEM)
                .put(DB_NAMESPACE, databaseName);
        if (operation != null) {
            attributes.put(DB_OPERATION_NAME, operation);
            attributes.put(DB_QUERY_SUMMARY, summary);
        }
        if (query.collection() != null) {
            attributes.put(DB_COLLECTION_NAME, query.collection());
        }
        if (query.sanitizedText() != null) {
            attributes.put(DB_QUERY_TEXT, query.sanitizedText());
        }
        return tracer.spanBuilder(summary == null ? SYSTEM : summary)
                .setParent(Context.current())
                .setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(attributes.build())
                .startSpan();
    }

    /** The SQL as sent to the driver, {@code ?} in place of every bound value; never the bindings themselves. */
    private static String statementText(StatementContext context) {
        ParsedSql parsed = context.getParsedSql();
        return parsed != null ? parsed.getSql() : context.getRenderedSql();
    }

    private QuerySummary summarize(String sql) {
        if (sql == null) {
            return QuerySummary.of(null);
        }
        QuerySummary cached = summaries.get(sql);
        if (cached == null) {
            cached = QuerySummary.of(sql);
            if (summaries.size() >= SUMMARY_CACHE_LIMIT) {
                summaries.clear();
            }
            summaries.put(sql, cached);
        }
        return cached;
    }

    private void end(StatementContext context) {
        Span span = open.remove(context);
        if (span != null) {
            span.end();
        }
    }

    /**
     * Status ERROR plus an exception event with class, SQLState and stack frames, but no message: PostgreSQL's
     * messages quote values ("Key (email)=(...) already exists"), which are personal data.
     */
    private static void recordFailure(Span span, SQLException failure) {
        String sqlState = failure.getSQLState();
        String description = sqlState == null ? failure.getClass().getName() : "SQLState " + sqlState;
        AttributesBuilder event = Attributes.builder()
                .put(EXCEPTION_TYPE, failure.getClass().getName())
                .put(EXCEPTION_MESSAGE, description)
                .put(EXCEPTION_STACKTRACE, framesOnly(failure));
        span.addEvent("exception", event.build());
        if (sqlState != null) {
            span.setAttribute(DB_RESPONSE_STATUS_CODE, sqlState);
        }
        span.setAttribute(ERROR_TYPE, failure.getClass().getName());
        span.setStatus(StatusCode.ERROR, description);
    }

    /** A stack trace like {@link Throwable#printStackTrace()}'s, without the messages. */
    private static String framesOnly(Throwable failure) {
        StringBuilder trace = new StringBuilder(1024);
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 8; depth++, current = current.getCause()) {
            trace.append(depth == 0 ? "" : "Caused by: ").append(current.getClass().getName()).append('\n');
            for (StackTraceElement frame : current.getStackTrace()) {
                trace.append("\tat ").append(frame).append('\n');
            }
        }
        return trace.toString();
    }

    private static boolean isType(StatementContext context, Class<?> type) {
        return context.getJdbiStatementType() instanceof Class<?> c && type.isAssignableFrom(c);
    }
}
