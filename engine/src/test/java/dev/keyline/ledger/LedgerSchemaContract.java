package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.keyline.error.KeylineException;
import dev.keyline.testing.SchemaLayout;

/**
 * The ledger's numbered migrations, the same on every database Keyline runs on: from an empty database they make the
 * ledger's tables, columns and indexes; opening again changes nothing; the ledgers earlier versions made (fixtures
 * under {@code earlier/}, their scripts as those versions had them) are brought to exactly the same schema with their
 * rows; a ledger newer than the code is refused. Each database subclass gives each test empty databases of its own.
 */
abstract class LedgerSchemaContract {

    /** Every table of the ledger and its columns. */
    static final Map<String, Set<String>> TABLES = Map.ofEntries(
            Map.entry("device_identity", Set.of("output_id", "device_id", "job_instance_id", "job_execution_id", "row_index",
                    "source_line", "thing_name", "certificate_id", "serial_hex", "public_key_sha256", "not_before", "not_after",
                    "key_algorithm", "key_location", "bundle_path", "bundle_sums", "status", "issued_at", "certificate_der",
                    "thing_type", "thing_groups", "attributes", "accounts", "certificate")),
            Map.entry("device_made_key", Set.of("public_key_sha256", "output_id", "device_id")),
            Map.entry("ledger_migration", Set.of("name", "applied_at")),
            Map.entry("device_reject", Set.of("output_id", "job_instance_id", "row_index", "source_line", "device_id", "reason",
                    "rejected_at", "reason_code")),
            Map.entry("device_registration", Set.of("output_id", "device_id", "target", "status", "certificate_arn",
                    "thing_arn", "error_code", "error_message", "attempts", "job_execution_id", "updated_at",
                    "thing_created", "withdrawal_reason", "thing_outcome")),
            Map.entry("bundle_archive", Set.of("output_id", "path", "sha256", "size_bytes", "job_execution_id", "created_at")),
            Map.entry("chunk_commit", Set.of("job_execution_id", "step_name", "committed_at", "issued", "rejected",
                    "registered", "failed", "key_algorithms")),
            Map.entry("registration_call", Set.of("job_execution_id", "target", "operation", "calls", "throttles", "faults",
                    "latency_buckets")),
            Map.entry("registration_summary", Set.of("output_id", "accounts", "devices")),
            Map.entry("registration_task", Set.of("output_id", "target", "batch", "job_instance_id", "account",
                    "input_bucket", "input_key", "line_count", "last_device_id", "task_id", "state", "aws_status", "message",
                    "created_at", "updated_at")),
            Map.entry("registration_task_line", Set.of("output_id", "target", "batch", "line_number", "device_id")),
            Map.entry("manifest_chunk", Set.of("output_id", "path", "first_device_id", "last_device_id", "rows_count",
                    "size_bytes", "job_instance_id", "first_row", "job_execution_id")),
            Map.entry("keyline_schema_version", Set.of("version", "description", "applied_at")));

    static final Map<String, String> PRIMARY_KEYS = Map.ofEntries(
            Map.entry("device_identity", "output_id, device_id"),
            Map.entry("device_made_key", "public_key_sha256"),
            Map.entry("ledger_migration", "name"),
            Map.entry("device_reject", "job_instance_id, row_index"),
            Map.entry("device_registration", "output_id, device_id, target"),
            Map.entry("bundle_archive", "output_id, path"),
            Map.entry("registration_call", "job_execution_id, target, operation"),
            Map.entry("registration_summary", "output_id, accounts"),
            Map.entry("registration_task", "output_id, target, batch"),
            Map.entry("registration_task_line", "output_id, target, batch, line_number"),
            Map.entry("manifest_chunk", "output_id, path"),
            Map.entry("keyline_schema_version", "version"));

    /** Not the random-key indexes earlier ledgers had (certificate id, public key): those are dropped. */
    static final Set<String> INDEXES = Set.of("device_identity.device_identity_instance(job_instance_id, row_index)",
            "chunk_commit.chunk_commit_execution(job_execution_id)");

    /** A new empty database (schema) of the test's own, removed after the test. */
    abstract DataSource newDatabase() throws Exception;

    @Test
    void migrationsFromAnEmptyDatabaseMakeTheLedgersTablesColumnsAndIndexes() throws Exception {
        DataSource db = newDatabase();

        Ledger ledger = Ledger.open(db);

        assertThat(ledger.schema()).isEqualTo(new SchemaVersion(LedgerSchema.latest(), LedgerSchema.latest()));
        assertThat(ledger.schema().behind()).isEmpty();
        SchemaLayout layout = SchemaLayout.of(db);
        assertThat(layout.columns().keySet()).isEqualTo(TABLES.keySet());
        TABLES.forEach((table, columns) -> assertThat(layout.columnNames(table)).as(table).isEqualTo(columns));
        assertThat(layout.primaryKeys()).isEqualTo(PRIMARY_KEYS);
        assertThat(layout.indexes()).isEqualTo(INDEXES);
        assertThat(new JdbcTemplate(db).queryForList("SELECT version FROM keyline_schema_version ORDER BY version",
                Integer.class)).isEqualTo(java.util.stream.IntStream.rangeClosed(1, LedgerSchema.latest()).boxed().toList());
    }

    @Test
    void openingAnUpToDateLedgerAgainChangesNothing() throws Exception {
        DataSource db = newDatabase();
        Ledger.open(db);
        JdbcTemplate jdbc = new JdbcTemplate(db);
        List<Map<String, Object>> recorded = jdbc.queryForList("SELECT * FROM keyline_schema_version");
        SchemaLayout layout = SchemaLayout.of(db);

        Ledger again = Ledger.open(db);

        assertThat(again.schema().isBehind()).isFalse();
        assertThat(jdbc.queryForList("SELECT * FROM keyline_schema_version")).isEqualTo(recorded);
        assertThat(SchemaLayout.of(db)).isEqualTo(layout);
    }

    @Test
    void theFirstLedgerIsBroughtToTheSameSchemaWithItsRows() throws Exception {
        DataSource db = earlierLedger("first-ledger.sql");

        Ledger ledger = Ledger.open(db);

        assertThat(SchemaLayout.of(db)).isEqualTo(freshLayout());
        assertThat(ledger.schema().isBehind()).isFalse();
        assertThat(ledger.identities().countIssued("out-old")).isEqualTo(2);
        LedgerEntry dev1 = ledger.identities().find("out-old", "dev-1").orElseThrow();
        assertThat(dev1.certificateId()).isEqualTo("c1".repeat(32));
        assertThat(dev1.issuedAt()).isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
        assertThat(dev1.registration()).as("issued before Keyline kept registration input").isEmpty();
        assertThat(ledger.pendingRegistrations().countWithoutRegistrationInput("out-old")).isEqualTo(2);
        assertThat(ledger.rejections().rejectGroups(1, 5)).singleElement().satisfies(g -> {
            assertThat(g.code()).isEqualTo(Rejection.UNRECORDED);
            assertThat(g.first()).singleElement().extracting(Rejection::deviceId).isEqualTo("dev-3");
        });
    }

    @Test
    void theLastLedgerBeforeNumberedMigrationsIsBroughtToTheSameSchemaWithItsRows() throws Exception {
        DataSource db = earlierLedger("before-numbered-migrations.sql");
        // The certificate as that version wrote it: no BYTEA literal is common to H2 and PostgreSQL.
        byte[] certificate = {0x30, (byte) 0x82, 0x01, 0x0a};
        new JdbcTemplate(db).update("UPDATE device_identity SET certificate = ? WHERE device_id = 'csr-1'",
                (Object) certificate);

        Ledger ledger = Ledger.open(db);

        assertThat(SchemaLayout.of(db)).isEqualTo(freshLayout());
        LedgerEntry csr = ledger.identities().find("out-new", "csr-1").orElseThrow();
        RegistrationInput input = csr.registration().orElseThrow();
        assertThat(input.certificateDer()).isEqualTo(certificate);
        assertThat(input.thingGroups()).containsExactly("line-a");
        assertThat(input.accounts()).containsExactly("eu");
        assertThat(input.attributes()).containsEntry("site", "Lyon");
        assertThat(ledger.identities().deviceWithPublicKey("a3".repeat(32))).contains("csr-1");
        assertThat(ledger.registrations().registrationsOf("out-new", "csr-1")).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RegistrationStatus.REGISTERED));
        assertThat(ledger.archives().archives("out-new")).extracting(ArchiveRecord::path).containsExactly("bundles/csr-1.tar");
        assertThat(ledger.runRecords().keyAlgorithms(List.of(1L))).isEqualTo(Map.of("ec-p256", 1L));
        assertThat(ledger.rejections().rejectGroups(1, 5)).extracting(RejectGroup::code).containsExactly("CSR_REFUSED");
        JdbcTemplate jdbc = new JdbcTemplate(db);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device_made_key", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ledger_migration", Integer.class))
                .as("its hand-made migration's row, kept").isEqualTo(1);
    }

    @Test
    void aLedgerOfANewerKeylineIsRefusedNamingBothVersions() throws Exception {
        DataSource db = newDatabase();
        Ledger.open(db);
        int newer = LedgerSchema.latest() + 1;
        new JdbcTemplate(db).update("INSERT INTO keyline_schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                newer, "from-the-future", Columns.utc(Instant.now()));

        assertThatThrownBy(() -> Ledger.open(db)).isInstanceOfSatisfying(LedgerSchemaException.class, e -> {
            assertThat(e.kind()).isEqualTo(KeylineException.Kind.CONFIGURATION);
            assertThat(e.ledgerVersion()).isEqualTo(newer);
            assertThat(e.knownVersion()).isEqualTo(LedgerSchema.latest());
            assertThat(e.getMessage()).contains("schema version " + newer).contains("up to version " + LedgerSchema.latest())
                    .contains("a newer Keyline wrote it");
        });
    }

    /** A new database holding a ledger as an earlier version made it: a fixture script under {@code earlier/}. */
    DataSource earlierLedger(String fixture) throws Exception {
        DataSource db = newDatabase();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        LedgerSchema.statements(earlier(fixture)).forEach(jdbc::execute);
        return db;
    }

    private SchemaLayout freshLayout() throws Exception {
        DataSource fresh = newDatabase();
        Ledger.open(fresh);
        return SchemaLayout.of(fresh);
    }

    private static String earlier(String fixture) throws IOException {
        try (InputStream in = LedgerSchemaContract.class.getResourceAsStream("earlier/" + fixture)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
