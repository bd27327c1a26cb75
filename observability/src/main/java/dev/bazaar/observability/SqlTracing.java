package dev.bazaar.observability;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;

import io.opentelemetry.api.OpenTelemetry;

/**
 * CLIENT spans for every SQL statement run through JDBI, following the database semantic conventions.
 * <p>
 * Spans are named by a query summary ({@code SELECT products}, {@code INSERT orders}), are children of the current
 * span (a statement run outside any span, by background work, is not traced: it would be a root trace of its own),
 * and carry {@code db.query.text}: the statement as prepared, with {@code ?} placeholders and literals masked.
 * Bound values never reach telemetry, and neither does a database error message (PostgreSQL's often quotes the
 * offending value): errors record the exception class and SQLState only.
 * <p>
 * Written instead of using {@code jdbi3-opentelemetry}, whose plugin records bound values and names spans after the
 * JDBI statement class ({@code jdbi.Update}).
 */
public final class SqlTracing {
    private SqlTracing() {
    }

    /**
     * Installs the tracing {@link SqlLogger} on {@code jdbi}; call before opening handles, which copy the
     * configuration. A logger already configured keeps receiving its calls; installing again replaces the earlier
     * installation.
     *
     * @param databaseName reported as {@code db.namespace}
     */
    public static void install(Jdbi jdbi, OpenTelemetry openTelemetry, String databaseName) {
        SqlStatements statements = jdbi.getConfig(SqlStatements.class);
        SqlLogger current = statements.getSqlLogger();
        // installing twice replaces our logger instead of stacking a second one (which would double every span)
        SqlLogger next = current instanceof SqlSpans ours ? ours.next() : current;
        statements.setSqlLogger(new SqlSpans(openTelemetry, databaseName, next));
    }
}
