package dev.keyline.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;

/**
 * The ledger's numbered migrations: SQL resources {@code migration/V<n>__<what>.sql}, applied in order, each once and
 * in its own transaction, and recorded in {@code keyline_schema_version}. Our own and not Flyway: a handful of scripts
 * need a table, a loop and a lock, and every command pays a migrator's start-up.
 *
 * <ul>
 * <li>Up to date (the common start): one metadata lookup and one query, no lock.</li>
 * <li>Several processes at once (remote workers start together on one PostgreSQL): each migration's transaction
 *     first takes a transaction-scoped advisory lock, then reads the version again, so one process applies it and
 *     the others find it done. An H2 file has one writing process (the output's lock); a second that races anyway
 *     (a {@code status} served by the running process) loses on the version row's primary key and finds it done.</li>
 * <li>A ledger made before numbered migrations has the tables without the version table: V1 is written to be right
 *     on it as on an empty database.</li>
 * <li>A read-only ledger ({@code status} on an idle output) is not migrated: it is read as it is, and
 *     {@link SchemaVersion#behind()} says so.</li>
 * <li>A ledger newer than this code: {@link LedgerSchemaException}, before anything reads or writes it.</li>
 * </ul>
 */
final class LedgerSchema {

    /** The migrations, oldest first. A new one is added here and as {@code migration/V<n>__<what>.sql}. */
    static final List<String> MIGRATIONS = List.of("V1__ledger.sql", "V2__deregistration.sql", "V3__manifest-chunk.sql");

    static final String VERSION_TABLE = "keyline_schema_version";

    /** Any fixed number: PostgreSQL's advisory locks are the database's, shared by whoever names the same key. */
    static final long LOCK_KEY = 0x6b65796c696e65L; // "keyline"

    private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([a-z0-9-]+)\\.sql");

    private final LedgerDatabase db;

    LedgerSchema(LedgerDatabase db) {
        this.db = db;
    }

    /** The newest version this code knows. */
    static int latest() {
        return MIGRATIONS.size();
    }

    /**
     * Brings the ledger up to date; on a read-only connection only reads its version.
     *
     * @throws LedgerSchemaException if the ledger is newer than this code
     */
    SchemaVersion migrate() {
        int found = version();
        if (found > latest()) {
            throw new LedgerSchemaException(found, latest());
        }
        if (found == latest() || db.readOnly()) {
            return new SchemaVersion(found, latest());
        }
        for (int v = found + 1; v <= latest(); v++) {
            apply(v);
        }
        return new SchemaVersion(version(), latest());
    }

    /** The ledger's version: 0 for an empty database or a ledger made before numbered migrations. */
    int version() {
        if (!versionTableExists()) {
            return 0;
        }
        Integer v = db.jdbc().queryForObject("SELECT MAX(version) FROM " + VERSION_TABLE, Integer.class);
        return v == null ? 0 : v;
    }

    private void apply(int version) {
        String resource = MIGRATIONS.get(version - 1);
        Matcher name = NAME.matcher(resource);
        if (!name.matches() || Integer.parseInt(name.group(1)) != version) {
            throw new IllegalStateException("migration " + version + " is named " + resource + ": expected V" + version
                    + "__<what>.sql");
        }
        List<String> statements = statements(script(resource));
        try {
            db.inTransaction(() -> {
                if (!db.isH2()) {
                    db.jdbc().execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                }
                // In the lock: on PostgreSQL two concurrent CREATE TABLE IF NOT EXISTS may both try to create it.
                db.jdbc().execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " ("
                        + " version INTEGER NOT NULL PRIMARY KEY,"
                        + " description VARCHAR(200) NOT NULL,"
                        + " applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
                Integer done = db.jdbc().queryForObject("SELECT COUNT(*) FROM " + VERSION_TABLE + " WHERE version >= ?",
                        Integer.class, version);
                if (done != null && done > 0) {
                    return; // another process applied it while this one waited
                }
                statements.forEach(db.jdbc()::execute);
                db.jdbc().update("INSERT INTO " + VERSION_TABLE + " (version, description, applied_at) VALUES (?, ?, ?)",
                        version, name.group(2), Instant.now().atOffset(ZoneOffset.UTC));
            });
        } catch (DuplicateKeyException raced) {
            // H2 only: another connection recorded it first; its statements are idempotent, as ours were.
        }
    }

    private boolean versionTableExists() {
        return Boolean.TRUE.equals(db.jdbc().execute((ConnectionCallback<Boolean>) c -> Tables.exists(c, VERSION_TABLE)));
    }

    private static String script(String resource) {
        try (InputStream in = LedgerSchema.class.getResourceAsStream("migration/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("migration " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger migration " + resource, e);
        }
    }

    /** A script's statements: lines that begin with {@code --} dropped, split at semicolons outside quotes. */
    static List<String> statements(String script) {
        String sql = script.replaceAll("(?m)^\\s*--.*$", "");
        List<String> statements = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a literal turns it off and on again
            }
            if (c == ';' && !quoted) {
                add(statements, statement);
            } else {
                statement.append(c);
            }
        }
        add(statements, statement);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder statement) {
        if (!statement.toString().isBlank()) {
            statements.add(statement.toString().strip());
        }
        statement.setLength(0);
    }
}
