package dev.bazaar.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a SQL statement's span shows: the operation, the first table it names, a summary (the span's name), and the
 * text with literals masked.
 * <p>
 * A small hand-written scanner rather than a SQL parser: it only needs to skip comments, string literals and
 * parentheses well enough to find {@code SELECT ... FROM t}, {@code INSERT INTO t}, {@code UPDATE t},
 * {@code DELETE FROM t} and {@code MERGE INTO t}, also behind a {@code WITH} clause. Anything it does not recognise
 * falls back to the operation alone, never to the full text, so span names stay low-cardinality.
 * <p>
 * A statement that writes in its {@code WITH} clauses ({@code WITH o AS (INSERT INTO orders ...), l AS (INSERT INTO
 * order_lines ...) SELECT 1}, the one-round-trip writes of the services) is summarised as every write followed by
 * the main statement, in text order, as the conventions' {@code db.query.summary} lists several operations:
 * {@code INSERT orders INSERT order_lines}. A main {@code SELECT} that names no table (the {@code SELECT 1} that
 * only makes the statement a query) is left out, so the span is not just "SELECT".
 *
 * @param operation      upper-case first operation ({@code SELECT}), or {@code null} if the text has none
 * @param collection     the table named, as written ({@code public.things}); {@code null} if none or several
 * @param summary        operation and table of each part ({@code INSERT orders INSERT order_lines}), or {@code null}
 * @param sanitizedText  the statement with string, number and dollar-quoted literals replaced by {@code ?}
 */
record QuerySummary(String operation, String collection, String summary, String sanitizedText) {
    private static final Set<String> MAIN_OPERATIONS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE");
    private static final Set<String> WRITES = Set.of("INSERT", "UPDATE", "DELETE", "MERGE");
    /** The conventions' bound on {@code db.query.summary}. */
    private static final int MAX_SUMMARY = 255;

    static QuerySummary of(String sql) {
        if (sql == null || sql.isBlank()) {
            return new QuerySummary(null, null, null, sql);
        }
        Scan scan = new Scan(sql);
        scan.run();
        List<Token> tokens = scan.tokens;
        int op = operationIndex(tokens);
        if (op < 0) {
            return new QuerySummary(null, null, null, scan.sanitized.toString());
        }
        List<Part> parts = new ArrayList<>(writesInWith(tokens, op));
        Part main = part(tokens, op);
        if (parts.isEmpty() || !main.operation().equals("SELECT") || main.collection() != null) {
            parts.add(main);
        }
        List<String> collections = parts.stream().map(Part::collection).distinct().toList();
        String summary = String.join(" ", parts.stream().map(Part::text).toList());
        return new QuerySummary(parts.getFirst().operation(), collections.size() == 1 ? collections.getFirst() : null,
                summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY) : summary,
                scan.sanitized.toString());
    }

    /** One operation of a statement and the table it names ({@code null} if none). */
    private record Part(String operation, String collection) {
        String text() {
            return collection == null ? operation : operation + " " + collection;
        }
    }

    private static Part part(List<Token> tokens, int op) {
        String operation = tokens.get(op).text.toUpperCase(Locale.ROOT);
        return new Part(operation, collection(tokens, op, operation));
    }

    /**
     * The writes that open a {@code WITH} clause's bodies ({@code name AS (INSERT ...)}, also {@code AS MATERIALIZED
     * (...)}), before the main statement at {@code main}; none if the statement has no {@code WITH}.
     */
    private static List<Part> writesInWith(List<Token> tokens, int main) {
        List<Part> writes = new ArrayList<>();
        int depth = tokens.get(main).depth;
        for (int i = 1; i < main - 1; i++) {
            Token open = tokens.get(i);
            Token before = tokens.get(i - 1);
            Token first = tokens.get(i + 1);
            if (open.kind == Kind.OPEN && open.depth == depth && before.kind == Kind.WORD
                    && (before.text.equalsIgnoreCase("AS") || before.text.equalsIgnoreCase("MATERIALIZED"))
                    && first.kind == Kind.WORD && WRITES.contains(first.text.toUpperCase(Locale.ROOT))) {
                writes.add(part(tokens, i + 1));
            }
        }
        return writes;
    }

    /** Index of the first keyword, or, behind {@code WITH}, of the statement the common table expressions feed. */
    private static int operationIndex(List<Token> tokens) {
        int first = -1;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind == Kind.WORD) {
                first = i;
                break;
            }
        }
        if (first < 0 || !tokens.get(first).text.equalsIgnoreCase("WITH")) {
            return first;
        }
        int depth = tokens.get(first).depth;
        for (int i = first + 1; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.depth == depth && token.kind == Kind.WORD && isMainOperation(token.text)) {
                return i;
            }
        }
        return first;
    }

    private static String collection(List<Token> tokens, int op, String operation) {
        int depth = tokens.get(op).depth;
        return switch (operation) {
            case "SELECT", "DELETE" -> tableAfter(tokens, keyword(tokens, op + 1, depth, "FROM"));
            case "INSERT", "MERGE" -> tableAfter(tokens, keyword(tokens, op + 1, depth, "INTO"));
            case "UPDATE" -> tableAfter(tokens, op);
            default -> null;
        };
    }

    /** Index of {@code keyword} at the statement's own depth (not in a sub-select), or -1. */
    private static int keyword(List<Token> tokens, int from, int depth, String keyword) {
        for (int i = from; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.depth < depth) {
                return -1;   // left the statement's parentheses
            }
            if (token.depth == depth && token.kind == Kind.WORD && token.text.equalsIgnoreCase(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** The table name after position {@code at}, skipping {@code ONLY}; none if a sub-select or function follows. */
    private static String tableAfter(List<Token> tokens, int at) {
        if (at < 0) {
            return null;
        }
        int i = at + 1;
        if (i < tokens.size() && tokens.get(i).kind == Kind.WORD && tokens.get(i).text.equalsIgnoreCase("ONLY")) {
            i++;
        }
        if (i >= tokens.size() || tokens.get(i).kind != Kind.WORD) {
            return null;
        }
        boolean call = i + 1 < tokens.size() && tokens.get(i + 1).kind == Kind.OPEN && !isWithColumns(tokens, at);
        return call ? null : tokens.get(i).text;
    }

    /** {@code INSERT INTO t (a, b)}: the parenthesis after the table lists columns, it is not a function call. */
    private static boolean isWithColumns(List<Token> tokens, int at) {
        return tokens.get(at).text.equalsIgnoreCase("INTO");
    }

    private static boolean isMainOperation(String word) {
        return MAIN_OPERATIONS.contains(word.toUpperCase(Locale.ROOT));
    }

    private enum Kind { WORD, OPEN, CLOSE }

    private record Token(Kind kind, String text, int depth) {
    }

    /** One pass over the text: collects words and parentheses with their nesting depth, and masks literals. */
    private static final class Scan {
        private final String sql;
        private final StringBuilder sanitized;
        private final List<Token> tokens = new ArrayList<>();
        private int depth;
        private int i;

        Scan(String sql) {
            this.sql = sql;
            this.sanitized = new StringBuilder(sql.length());
        }

        void run() {
            int n = sql.length();
            while (i < n) {
                char c = sql.charAt(i);
                if (c == '-' && next() == '-') {
                    copyUntil(sql.indexOf('\n', i));
                } else if (c == '/' && next() == '*') {
                    int end = sql.indexOf("*/", i + 2);
                    copyUntil(end < 0 ? -1 : end + 2);
                } else if (c == '\'') {
                    skipQuoted('\'');
                    sanitized.append('?');
                } else if (c == '"') {
                    int start = i;
                    skipQuoted('"');
                    word(start);
                } else if (c == '$' && isDollarQuote()) {
                    sanitized.append('?');
                } else if (Character.isDigit(c) && !continuesWord()) {
                    skipNumber();
                    sanitized.append('?');
                } else if (isWordStart(c)) {
                    int start = i;
                    while (i < n && isWordPart(sql.charAt(i))) {
                        i++;
                    }
                    word(start);
                } else {
                    if (c == '(') {
                        tokens.add(new Token(Kind.OPEN, "(", depth++));
                    } else if (c == ')') {
                        depth = Math.max(0, depth - 1);
                        tokens.add(new Token(Kind.CLOSE, ")", depth));
                    }
                    sanitized.append(c);
                    i++;
                }
            }
        }

        /** A word from {@code start} to {@code i}; a following {@code .name} makes it one qualified name. */
        private void word(int start) {
            while (i + 1 < sql.length() && sql.charAt(i) == '.'
                    && (isWordStart(sql.charAt(i + 1)) || sql.charAt(i + 1) == '"')) {
                i++;
                if (sql.charAt(i) == '"') {
                    skipQuoted('"');
                } else {
                    while (i < sql.length() && isWordPart(sql.charAt(i))) {
                        i++;
                    }
                }
            }
            String text = sql.substring(start, i);
            tokens.add(new Token(Kind.WORD, text, depth));
            sanitized.append(text);
        }

        private void copyUntil(int end) {
            int stop = end < 0 ? sql.length() : end;
            sanitized.append(sql, i, stop);
            i = stop;
        }

        /** Skips a quoted run; a doubled quote inside is an escaped quote. */
        private void skipQuoted(char quote) {
            i++;
            while (i < sql.length()) {
                if (sql.charAt(i) == quote) {
                    if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                        i += 2;
                        continue;
                    }
                    i++;
                    return;
                }
                i++;
            }
        }

        /** PostgreSQL's {@code $$...$$} / {@code $tag$...$tag$}; consumes it if present. {@code $1} is not one. */
        private boolean isDollarQuote() {
            int close = sql.indexOf('$', i + 1);
            if (close < 0) {
                return false;
            }
            for (int k = i + 1; k < close; k++) {
                char t = sql.charAt(k);
                if (!(Character.isLetter(t) || t == '_' || (k > i + 1 && Character.isDigit(t)))) {
                    return false;
                }
            }
            String tag = sql.substring(i, close + 1);
            int end = sql.indexOf(tag, close + 1);
            i = end < 0 ? sql.length() : end + tag.length();
            return true;
        }

        private void skipNumber() {
            while (i < sql.length() && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                i++;
            }
            if (i < sql.length() && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
                int k = i + 1;
                if (k < sql.length() && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                    k++;
                }
                if (k < sql.length() && Character.isDigit(sql.charAt(k))) {
                    i = k;
                    while (i < sql.length() && Character.isDigit(sql.charAt(i))) {
                        i++;
                    }
                }
            }
        }

        /** A digit right after a word character or {@code $} belongs to a name or positional parameter. */
        private boolean continuesWord() {
            return i > 0 && (isWordPart(sql.charAt(i - 1)) || sql.charAt(i - 1) == '$');
        }

        private char next() {
            return i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
        }

        private static boolean isWordStart(char c) {
            return Character.isLetter(c) || c == '_';
        }

        private static boolean isWordPart(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }
}
