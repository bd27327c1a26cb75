package dev.bazaar.observability;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuerySummaryTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            SELECT id, name FROM products WHERE id = ?                          | SELECT | products
            select count(*) from public.products p join stock s on s.id = p.id | SELECT | public.products
            SELECT * FROM (SELECT id FROM products) sub                         | SELECT | -
            SELECT EXISTS (SELECT 1 FROM products WHERE id = ?)                 | SELECT | -
            SELECT * FROM generate_series(1, 10)                                | SELECT | -
            SELECT 1                                                            | SELECT | -
            INSERT INTO orders (id, total) VALUES (?, ?)                        | INSERT | orders
            insert into "Orders" values (?)                                     | INSERT | "Orders"
            UPDATE products SET stock = stock - ? WHERE id = ?                  | UPDATE | products
            UPDATE ONLY products SET stock = 0                                  | UPDATE | products
            DELETE FROM reservations WHERE expires_at < now()                   | DELETE | reservations
            MERGE INTO stock s USING incoming i ON s.id = i.id WHEN MATCHED THEN DO NOTHING | MERGE | stock
            WITH recent AS (SELECT * FROM orders) SELECT * FROM recent          | SELECT | recent
            WITH moved AS (DELETE FROM outbox RETURNING *) INSERT INTO sent SELECT * FROM moved | DELETE | -
            /* the FROM here is a comment */ SELECT now()                       | SELECT | -
            CREATE TABLE things (id int)                                        | CREATE | -
            """)
    void findsOperationAndFirstTable(String sql, String operation, String collection) {
        QuerySummary summary = QuerySummary.of(sql);

        assertThat(summary.operation()).isEqualTo(operation);
        assertThat(summary.collection()).isEqualTo(collection);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            SELECT id FROM products WHERE id = ?                                | SELECT products
            SELECT 1                                                            | SELECT
            WITH recent AS (SELECT * FROM orders) SELECT * FROM recent          | SELECT recent
            WITH moved AS (DELETE FROM outbox RETURNING *) INSERT INTO sent SELECT * FROM moved | DELETE outbox INSERT sent
            WITH o AS (INSERT INTO orders (id) VALUES (?)), l AS (INSERT INTO order_lines (id) SELECT x FROM unnest(?) AS x), e AS MATERIALIZED (INSERT INTO outbox SELECT * FROM unnest(?)) SELECT 1 | INSERT orders INSERT order_lines INSERT outbox
            WITH u AS (UPDATE orders SET status = ? WHERE id = ? RETURNING id) SELECT id FROM u | UPDATE orders SELECT u
            WITH c (n) AS (UPDATE t SET x = 1 RETURNING x) DELETE FROM d        | UPDATE t DELETE d
            WITH q AS (SELECT 1 FROM (UPDATE x SET y = 1) z) SELECT 1           | SELECT
            """)
    void summarisesEveryWriteOfAStatement(String sql, String summary) {
        assertThat(QuerySummary.of(sql).summary()).isEqualTo(summary);
    }

    @Test
    void aSummaryOfOneTableNamesItAsTheCollection() {
        QuerySummary writes = QuerySummary.of("WITH a AS (UPDATE orders SET x = 1), b AS (DELETE FROM orders) SELECT 1");

        assertThat(writes.operation()).isEqualTo("UPDATE");
        assertThat(writes.collection()).isEqualTo("orders");
        assertThat(writes.summary()).isEqualTo("UPDATE orders DELETE orders");
    }

    @Test
    void skipsLineComments() {
        QuerySummary summary = QuerySummary.of("-- purge 'old' rows from the outbox\nDELETE FROM outbox WHERE id = 7");

        assertThat(summary.operation()).isEqualTo("DELETE");
        assertThat(summary.collection()).isEqualTo("outbox");
        assertThat(summary.sanitizedText()).isEqualTo("-- purge 'old' rows from the outbox\nDELETE FROM outbox WHERE id = ?");
    }

    @Test
    void masksLiteralsButKeepsPlaceholdersAndNames() {
        QuerySummary summary = QuerySummary.of(
                "SELECT t1.id FROM things t1 WHERE t1.name = 'O''Brien' AND t1.qty > 42 AND t1.x = $1 "
                        + "AND t1.y = ? AND t1.body = $tag$secret$tag$ AND t1.z = :z::int LIMIT 1.5e3");

        assertThat(summary.sanitizedText()).isEqualTo(
                "SELECT t1.id FROM things t1 WHERE t1.name = ? AND t1.qty > ? AND t1.x = $1 "
                        + "AND t1.y = ? AND t1.body = ? AND t1.z = :z::int LIMIT ?");
    }

    @Test
    void toleratesGarbage() {
        assertThat(QuerySummary.of(null).operation()).isNull();
        assertThat(QuerySummary.of("   ").operation()).isNull();
        assertThat(QuerySummary.of("'unterminated").operation()).isNull();
        assertThat(QuerySummary.of("((( ").operation()).isNull();
        assertThat(QuerySummary.of("SELECT ) ) FROM").collection()).isNull();
    }
}
