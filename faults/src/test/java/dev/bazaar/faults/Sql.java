package dev.bazaar.faults;

import dev.bazaar.testing.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Read-only queries of a service's database for the set checker: rows of text, a count, a two-column map. */
final class Sql {
    private Sql() {
    }

    /** The first column of every row. */
    static List<String> column(TestDatabase db, String sql) {
        List<String> values = new ArrayList<>();
        query(db, sql, result -> values.add(result.getString(1)));
        return values;
    }

    static long count(TestDatabase db, String sql) {
        List<String> values = column(db, sql);
        return values.isEmpty() || values.getFirst() == null ? 0 : Long.parseLong(values.getFirst());
    }

    /** First column to second, as text. */
    static Map<String, String> map(TestDatabase db, String sql) {
        Map<String, String> values = new HashMap<>();
        query(db, sql, result -> values.put(result.getString(1), result.getString(2)));
        return values;
    }

    /** First column to second, as a long. */
    static Map<String, Long> longs(TestDatabase db, String sql) {
        Map<String, Long> values = new HashMap<>();
        query(db, sql, result -> values.put(result.getString(1), result.getLong(2)));
        return values;
    }

    interface Row {
        void accept(ResultSet result) throws SQLException;
    }

    private static void query(TestDatabase db, String sql, Row row) {
        try (Connection connection = db.connect(); var statement = connection.createStatement()) {
            statement.setQueryTimeout(30);
            try (ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    row.accept(result);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(db.name() + ": " + sql + ": " + e.getMessage(), e);
        }
    }
}
