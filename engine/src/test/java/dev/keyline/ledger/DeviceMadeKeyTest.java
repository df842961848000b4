package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;


/**
 * Which public keys the ledger can look up for the CSR duplicate check: those devices made (CSR), recorded with the
 * identity, and those of ledgers written before the lookup table existed, copied over once.
 */
class DeviceMadeKeyTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    @TempDir
    Path dir;
    private JdbcDataSource dataSource;
    private JdbcTemplate jdbc;

    @BeforeEach
    void openDatabase() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("ledger"));
        dataSource.setUser("sa");
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void onlyKeysMadeOnTheDeviceAreLookedUp() {
        Ledger ledger = ledgerWithCsrAndSoftwareKeys("csr-device", "a", "soft-device", "b");

        assertThat(ledger.identities().deviceWithPublicKey("a".repeat(64))).contains("csr-device");
        assertThat(ledger.identities().deviceWithPublicKey("b".repeat(64))).isEmpty();
        assertThat(ledger.identities().deviceWithPublicKey("c".repeat(64))).isEmpty();
        assertThat(indexes()).as("no index over every device's key hash").doesNotContain("DEVICE_IDENTITY_PUBLIC_KEY");
    }

    @Test
    void aLedgerFromBeforeTheKeyTableKeepsItsCsrKeysOnceUpgraded() {
        ledgerWithCsrAndSoftwareKeys("old-csr", "d", "old-soft", "e");
        // Make it look like a ledger of the earlier schema: no key table, no migrations, the index over all keys.
        jdbc.execute("DROP TABLE device_made_key");
        jdbc.execute("DROP TABLE ledger_migration");
        jdbc.execute("DROP TABLE keyline_schema_version");
        jdbc.execute("CREATE INDEX device_identity_public_key ON device_identity (public_key_sha256)");

        Ledger upgraded = Ledger.open(dataSource);
        assertThat(upgraded.identities().deviceWithPublicKey("d".repeat(64))).contains("old-csr");
        assertThat(upgraded.identities().deviceWithPublicKey("e".repeat(64))).isEmpty();
        assertThat(indexes()).doesNotContain("DEVICE_IDENTITY_PUBLIC_KEY");

        // Opening it again copies nothing twice, and new CSR keys are recorded beside the migrated one.
        Ledger.open(dataSource);
        upgraded.identities().recordIssued(List.of(entry("new-csr", "f".repeat(64), "DEVICE")));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM device_made_key", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ledger_migration", Integer.class)).isEqualTo(1);
    }

    /** A ledger holding one device that sent a CSR and one whose key Keyline made; key hashes are a repeated digit. */
    private Ledger ledgerWithCsrAndSoftwareKeys(String csrDevice, String csrKeyDigit, String softDevice,
                                                String softKeyDigit) {
        Ledger ledger = Ledger.open(dataSource);
        ledger.identities().recordIssued(List.of(entry(csrDevice, csrKeyDigit.repeat(64), "DEVICE"),
                entry(softDevice, softKeyDigit.repeat(64), "BUNDLE")));
        return ledger;
    }

    private List<String> indexes() {
        return jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'DEVICE_IDENTITY'",
                String.class);
    }

    private static LedgerEntry entry(String deviceId, String keyHash, String location) {
        return new LedgerEntry("out-1", deviceId, 1, 1, deviceId.hashCode() & 0xffff, 2, deviceId,
                String.format("%064x", deviceId.hashCode() & 0xffffffffL), "1a2b", keyHash, NOW,
                NOW.plusSeconds(3600), "ec-p256", location, "bundles/" + deviceId, "", LedgerEntry.IdentityStatus.ISSUED,
                NOW, Optional.empty());
    }
}
