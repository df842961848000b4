package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.PostgresSchema;

/**
 * The same run on the local PostgreSQL (127.0.0.1:5432, database test, trust auth) instead of H2: same schema,
 * created when missing. Part of the full suite (-Pfull); each test works in a schema of its own.
 */
@Tag("full")
class PostgresRunTest {

    @TempDir
    Path dir;
    PostgresSchema schema;

    @BeforeEach
    void createSchema() throws Exception {
        schema = PostgresSchema.create("keyline");
    }

    @AfterEach
    void dropSchema() throws Exception {
        schema.close();
    }

    @Test
    void issuesAndResumesOnPostgresqlWithTheSameLedger() throws Exception {
        Path passphrase = dir.resolve("pass.txt");
        Files.writeString(passphrase, "pg-test\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=PG Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = ProvisionRunTest.manifest(dir, 150);
        Path out = dir.resolve("out");
        String db = schema.url();

        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(), "--db", db,
                "--passphrase-file", passphrase.toString(), "--threads", "2", "--chunk-size", "20", "--no-progress"))
                .isZero();

        try (Connection c = DriverManager.getConnection(db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT COUNT(*), COUNT(DISTINCT certificate_id) FROM " + schema.name() + ".device_identity")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(150);
            assertThat(rs.getLong(2)).isEqualTo(150);
        }
        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(150);
        List<Path> pems = rows.stream().map(r -> out.resolve(r.get("bundle_path")).resolve("device.crt.pem")).toList();
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, pems);
        ProvisionRunTest.assertSha256SumsMatch(out);

        // status and a second run find the remembered database without --db
        assertThat(Keyline.execute("status", "--out", out.toString())).isZero();
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--no-progress")).isZero();
        assertThat(ProvisionRunTest.readCsv(out.resolve("manifest.csv"))).hasSize(150);

        // On PostgreSQL too the manifest merged from the chunks' row files is the ledger's, registrations joined.
        dev.keyline.ledger.Ledger ledger = dev.keyline.ledger.Ledger.open(
                new org.springframework.jdbc.datasource.DriverManagerDataSource(db));
        String outputId;
        try (Connection c = DriverManager.getConnection(db);
             ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT output_id FROM " + schema.name() + ".device_identity")) {
            rs.next();
            outputId = rs.getString(1);
        }
        java.time.Instant now = java.time.Instant.now();
        ledger.registrations().recordRegistrations(java.util.stream.IntStream.range(0, 150).filter(i -> i % 3 == 0)
                .mapToObj(i -> new dev.keyline.ledger.RegistrationRecord(outputId, "dev-" + i, "pg-target",
                        dev.keyline.ledger.RegistrationStatus.REGISTERED, java.util.Optional.of("arn:cert/" + i),
                        java.util.Optional.of("arn:thing/dev-" + i), java.util.Optional.empty(), java.util.Optional.empty(), 1,
                        now)).toList());
        Files.delete(out.resolve("manifest.csv"));
        assertThat(dev.keyline.testing.ExportEquivalence.assertRowFilesGiveTheLedgersExport(ledger, out, outputId,
                dir.resolve("from-ledger"))).isEqualTo(150);
    }
}
