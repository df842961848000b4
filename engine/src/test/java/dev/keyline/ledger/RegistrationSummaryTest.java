package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * {@code register --plan} counts pending devices from the registration summary the export's pass leaves, and gets
 * the same numbers as the query over every row: before any registration, after some, and once new identities have
 * made the summary stale (it is then gone, and the query over the rows answers).
 */
class RegistrationSummaryTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dir;
    private SingleConnectionDataSource dataSource;
    private Ledger ledger;
    private JdbcTemplate jdbc;

    @BeforeEach
    void openLedger() {
        dataSource = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("ledger"), "sa", "", true);
        jdbc = new JdbcTemplate(dataSource);
        ledger = Ledger.open(dataSource);
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            // 0-19: no accounts (every target); 20-34: a; 35-44: a and b; 45-49: issued before registration input existed
            List<String> accounts = i < 20 ? List.of() : i < 35 ? List.of("a") : List.of("a", "b");
            entries.add(entry(String.format("dev-%03d", i), i < 45, accounts, i % 2 == 0 ? "line-a" : "line-b"));
        }
        ledger.identities().recordIssued(entries);
    }

    @AfterEach
    void close() {
        dataSource.destroy();
    }

    private long summaryRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM registration_summary WHERE output_id = 'out-1'", Long.class);
    }

    private Map<String, Long> pending() {
        return Map.of("a", ledger.pendingRegistrations().countPendingRegistrations("out-1", "a", true),
                "b", ledger.pendingRegistrations().countPendingRegistrations("out-1", "b", true),
                "c", ledger.pendingRegistrations().countPendingRegistrations("out-1", "c", true),
                "a-named-only", ledger.pendingRegistrations().countPendingRegistrations("out-1", "a", false));
    }

    @Test
    void theSummaryAnswersAsTheQueryOverEveryRowDoesAndGoesStaleWithNewIdentities() {
        assertThat(summaryRows()).as("no export yet").isZero();
        Map<String, Long> fromRows = pending();
        assertThat(fromRows).isEqualTo(Map.of("a", 45L, "b", 30L, "c", 20L, "a-named-only", 25L));
        assertThat(ledger.pendingRegistrations().accountsNamed("out-1")).containsExactly("a", "b");

        ledger.identities().forEachIssuedWithRegistrations("out-1", (entry, registrations) -> { });
        assertThat(summaryRows()).as("the export's pass left the summary").isEqualTo(3);
        assertThat(pending()).isEqualTo(fromRows);
        assertThat(ledger.pendingRegistrations().accountsNamed("out-1")).containsExactly("a", "b");

        List<RegistrationRecord> records = new ArrayList<>();
        for (String device : List.of("dev-000", "dev-021", "dev-040")) {
            records.add(new RegistrationRecord("out-1", device, "a", RegistrationStatus.REGISTERED, Optional.of("arn"),
                    Optional.empty(), Optional.empty(), Optional.empty(), 1, NOW));
        }
        records.add(new RegistrationRecord("out-1", "dev-001", "a", RegistrationStatus.FAILED, Optional.empty(),
                Optional.empty(), Optional.of("Code"), Optional.of("message"), 1, NOW));
        records.add(new RegistrationRecord("out-1", "dev-041", "b", RegistrationStatus.REGISTERED, Optional.of("arn"),
                Optional.empty(), Optional.empty(), Optional.empty(), 1, NOW));
        new org.springframework.transaction.support.TransactionTemplate(
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource))
                .executeWithoutResult(s -> ledger.registrations().recordRegistrations(records));
        Map<String, Long> afterRegistrations = Map.of("a", 42L, "b", 29L, "c", 20L, "a-named-only", 23L);
        assertThat(pending()).as("from the summary").isEqualTo(afterRegistrations);

        ledger.identities().recordIssued(List.of(entry("dev-100", true, List.of("b"), "line-a")));
        assertThat(summaryRows()).as("a new identity makes the summary stale: it is gone").isZero();
        assertThat(pending()).as("from the rows").isEqualTo(Map.of("a", 42L, "b", 30L, "c", 20L, "a-named-only", 23L));
    }

    @Test
    void pendingThingNamesAreTheDistinctTypesAndGroupsOfTheDevicesStillToRegister() {
        ThingNames names = ledger.pendingRegistrations().pendingThingNames("out-1", "b");
        assertThat(names.thingTypes()).containsExactly("sensor");
        assertThat(names.thingGroups()).containsExactlyInAnyOrder("fleet", "line-a", "line-b");

        assertThat(ledger.pendingRegistrations().pendingThingNames("out-1", "nobody").thingGroups()).as("devices without accounts go everywhere")
                .containsExactlyInAnyOrder("fleet", "line-a", "line-b");
    }

    private static LedgerEntry entry(String deviceId, boolean withInput, List<String> accounts, String group) {
        Optional<RegistrationInput> input = withInput ? Optional.of(new RegistrationInput(new byte[] {1, 2, 3},
                Optional.of("sensor"), List.of(group, "fleet"), Map.of(), accounts)) : Optional.empty();
        return new LedgerEntry("out-1", deviceId, 1, 1, Math.abs(deviceId.hashCode()), 2, deviceId,
                String.format("%064x", deviceId.hashCode() & 0xffffffffL), "1a2b", String.format("%064x", (long) deviceId.hashCode()),
                NOW, NOW.plusSeconds(3600), "ec-p256", "BUNDLE", "bundles/" + deviceId, "",
                LedgerEntry.IdentityStatus.ISSUED, NOW, input);
    }
}
