package dev.keyline.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * Some of a table's columns in one order, each with how a row's value is bound: an INSERT's column list, its
 * placeholders and its binding all follow from that order, and so does where a SELECT of the same list has each
 * column ({@link #at}). A value cannot land in another column, as it could with a list of numbered placeholders.
 * Immutable, thread-safe.
 *
 * @param <T> the value a row is written from
 */
final class Columns<T> {

    /** Binds one column's value of {@code row} at {@code index}. */
    interface Binder<T> {
        void bind(PreparedStatement ps, int index, T row) throws SQLException;
    }

    private final List<String> names;
    private final List<Binder<T>> binders;

    private Columns(List<String> names, List<Binder<T>> binders) {
        this.names = List.copyOf(names);
        this.binders = List.copyOf(binders);
    }

    static <T> Columns<T> of() {
        return new Columns<>(List.of(), List.of());
    }

    Columns<T> column(String name, Binder<T> binder) {
        List<String> n = new ArrayList<>(names);
        List<Binder<T>> b = new ArrayList<>(binders);
        n.add(name);
        b.add(binder);
        return new Columns<>(n, b);
    }

    Columns<T> text(String name, Function<T, String> value) {
        return column(name, (ps, i, row) -> ps.setString(i, value.apply(row)));
    }

    Columns<T> number(String name, ToLongFunction<T> value) {
        return column(name, (ps, i, row) -> ps.setLong(i, value.applyAsLong(row)));
    }

    Columns<T> integer(String name, ToIntFunction<T> value) {
        return column(name, (ps, i, row) -> ps.setInt(i, value.applyAsInt(row)));
    }

    Columns<T> time(String name, Function<T, Instant> value) {
        return column(name, (ps, i, row) -> ps.setObject(i, utc(value.apply(row))));
    }

    /** These columns, then {@code more}'s. */
    Columns<T> plus(Columns<T> more) {
        List<String> n = new ArrayList<>(names);
        List<Binder<T>> b = new ArrayList<>(binders);
        n.addAll(more.names);
        b.addAll(more.binders);
        return new Columns<>(n, b);
    }

    int size() {
        return names.size();
    }

    /** {@code a, b, c}, each name after {@code prefix} ({@code "d."} in a join, or {@code ""}). */
    String names(String prefix) {
        return names.stream().map(n -> prefix + n).collect(Collectors.joining(", "));
    }

    String names() {
        return names("");
    }

    /** {@code ?, ?, ?}. */
    String placeholders() {
        return String.join(", ", java.util.Collections.nCopies(names.size(), "?"));
    }

    /** {@code a = ?, b = ?}: an UPDATE's SET list. */
    String assignments() {
        return names.stream().map(n -> n + " = ?").collect(Collectors.joining(", "));
    }

    /** {@code a = ? AND b = ?}: a WHERE clause. */
    String matches() {
        return names.stream().map(n -> n + " = ?").collect(Collectors.joining(" AND "));
    }

    String insert(String table) {
        return "INSERT INTO " + table + " (" + names() + ") VALUES (" + placeholders() + ")";
    }

    /**
     * Binds the row's values from placeholder {@code from} on.
     *
     * @return the placeholder after the last one bound
     */
    int bind(PreparedStatement ps, T row, int from) throws SQLException {
        for (int i = 0; i < binders.size(); i++) {
            binders.get(i).bind(ps, from + i, row);
        }
        return from + binders.size();
    }

    /** Where a column is in a SELECT that lists these columns first: 1 for the first. */
    int at(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + names);
        }
        return i + 1;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** At most {@code max} characters, the last an ellipsis when cut: the column's width. */
    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
