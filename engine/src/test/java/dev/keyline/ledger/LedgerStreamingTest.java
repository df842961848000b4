package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;


/**
 * The export streams the ledger: on H2 the database hands out rows as it reads them instead of computing the
 * whole result first (and, past MAX_MEMORY_ROWS, writing it to a temporary file), and the connection, which a pool
 * hands out again, is left as it was found.
 */
class LedgerStreamingTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final int DEVICES = 300;

    @TempDir
    Path dir;
    private SingleConnectionDataSource dataSource;
    private Ledger ledger;
    private JdbcTemplate jdbc;

    @BeforeEach
    void openLedger() {
        // One connection for everything, so the test sees the very session the ledger streamed on; a small
        // MAX_MEMORY_ROWS, so a result computed in full would go to a temporary file.
        dataSource = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("ledger") + ";MAX_MEMORY_ROWS=50",
                "sa", "", true);
        jdbc = new JdbcTemplate(dataSource);
        ledger = Ledger.open(dataSource);
        List<LedgerEntry> entries = new ArrayList<>();
        // Recorded out of device id order, as two workers would.
        IntStream.range(0, DEVICES).map(i -> (i * 7) % DEVICES).forEach(i -> entries.add(entry(String.format("dev-%04d", i))));
        ledger.identities().recordIssued(entries);
    }

    @AfterEach
    void close() {
        dataSource.destroy();
    }

    @Test
    void theExportQueryHandsOutRowsWithoutWritingTheResultToATemporaryFile() {
        List<String> ids = new ArrayList<>();
        Set<String> before = temporaryFiles();
        Set<String> atFirstRow = new HashSet<>();
        ledger.identities().forEachIssuedWithRegistrations("out-1", (entry, registrations) -> {
            if (ids.isEmpty()) {
                atFirstRow.addAll(temporaryFiles());
            }
            ids.add(entry.deviceId());
        });

        assertThat(ids).hasSize(DEVICES).isSorted();
        atFirstRow.removeAll(before);
        assertThat(atFirstRow).as("H2 temporary result files made before the first row was handled").isEmpty();
    }

    @Test
    void theConnectionIsLeftAsFoundAfterStreamingAndAfterAHandlerFails() {
        assertThat(plainQuerySpills()).as("a plain query on this connection computes its result first (the check works)").isTrue();

        ledger.identities().forEachIssuedWithRegistrations("out-1", (entry, registrations) -> { });
        assertThat(plainQuerySpills()).as("after streaming, the connection is as it was").isTrue();

        assertThatThrownBy(() -> ledger.identities().forEachIssued("out-1", entry -> {
            throw new IllegalStateException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(plainQuerySpills()).as("after a failed handler too").isTrue();
        assertThat(ledger.identities().countIssued("out-1")).isEqualTo(DEVICES);
    }

    /** Whether a query of every row, run the ordinary way on the ledger's connection, went through a temporary file. */
    private boolean plainQuerySpills() {
        Set<String> before = temporaryFiles();
        Set<String> atFirstRow = new HashSet<>();
        boolean[] first = {true};
        jdbc.query("SELECT device_id FROM device_identity ORDER BY output_id, device_id", (RowCallbackHandler) rs -> {
            if (first[0]) {
                first[0] = false;
                atFirstRow.addAll(temporaryFiles());
            }
        });
        atFirstRow.removeAll(before);
        return !atFirstRow.isEmpty();
    }

    /** H2 writes results larger than MAX_MEMORY_ROWS to h2tmp.*.temp.db files in java.io.tmpdir. */
    private static Set<String> temporaryFiles() {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("h2tmp") && n.endsWith(".temp.db"))
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LedgerEntry entry(String deviceId) {
        return new LedgerEntry("out-1", deviceId, 1, 1, deviceId.hashCode() & 0xffff, 2, deviceId,
                String.format("%064x", deviceId.hashCode() & 0xffffffffL), "1a2b", String.format("%064x", (long) deviceId.hashCode()),
                NOW, NOW.plusSeconds(3600), "ec-p256", "BUNDLE", "bundles/" + deviceId, "",
                LedgerEntry.IdentityStatus.ISSUED, NOW, Optional.empty());
    }
}
