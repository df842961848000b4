package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/**
 * A run's identities and rejections, and an output's identities, counted ({@code keyline status}, restarts, reports,
 * the export) equal the rows the ledger holds for it: when the run or output is the only one in its table (where H2
 * answers from the table's row count), and when others share the table, before and after them, with the count each
 * really has.
 */
abstract class IndexedRowCountContract {

    private static final Instant T = Instant.parse("2026-12-06T08:00:00Z");

    abstract DataSource newDatabase() throws Exception;

    @Test
    void anEmptyLedgerCountsNothing() throws Exception {
        Ledger ledger = Ledger.open(newDatabase());

        assertThat(ledger.identities().countIssuedBy(5)).isZero();
        assertThat(ledger.rejections().countRejected(5)).isZero();
        assertThat(ledger.identities().countIssued("out-1")).isZero();
    }

    @Test
    void theOnlyRunCountsEveryRowAndNoOtherRunCountsAny() throws Exception {
        Ledger ledger = Ledger.open(newDatabase());
        issue(ledger, 5, 0, 7);
        reject(ledger, 5, 7, 3);

        assertThat(ledger.identities().countIssuedBy(5)).isEqualTo(7);
        assertThat(ledger.rejections().countRejected(5)).isEqualTo(3);
        assertThat(ledger.identities().countIssuedBy(4)).isZero();
        assertThat(ledger.identities().countIssuedBy(6)).isZero();
        assertThat(ledger.rejections().countRejected(6)).isZero();
        assertThat(ledger.identities().countIssued("out-1")).isEqualTo(7);
        assertThat(ledger.identities().countIssued("out-0")).isZero();
        assertThat(ledger.identities().countIssued("out-2")).isZero();
    }

    @Test
    void outputsSharingTheLedgerEachCountTheirOwnIdentities() throws Exception {
        Ledger ledger = Ledger.open(newDatabase());
        issue(ledger, "out-b", 5, 0, 7);
        issue(ledger, "out-a", 3, 0, 2);
        issue(ledger, "out-c", 9, 0, 4);

        assertThat(ledger.identities().countIssued("out-a")).isEqualTo(2);
        assertThat(ledger.identities().countIssued("out-b")).isEqualTo(7);
        assertThat(ledger.identities().countIssued("out-c")).isEqualTo(4);
        assertThat(ledger.identities().countIssued("out-d")).isZero();
    }

    @Test
    void runsSharingTheLedgerEachCountTheirOwnRows() throws Exception {
        Ledger ledger = Ledger.open(newDatabase());
        issue(ledger, 5, 0, 7);
        issue(ledger, 3, 0, 2);
        issue(ledger, 9, 0, 4);
        reject(ledger, 5, 7, 3);
        reject(ledger, 9, 4, 1);

        assertThat(ledger.identities().countIssuedBy(3)).isEqualTo(2);
        assertThat(ledger.identities().countIssuedBy(5)).isEqualTo(7);
        assertThat(ledger.identities().countIssuedBy(9)).isEqualTo(4);
        assertThat(ledger.identities().countIssuedBy(6)).isZero();
        assertThat(ledger.rejections().countRejected(5)).isEqualTo(3);
        assertThat(ledger.rejections().countRejected(9)).isEqualTo(1);
        assertThat(ledger.rejections().countRejected(3)).isZero();
    }

    @Test
    void rowsRemovedFromTheOnlyRunAreNoLongerCounted() throws Exception {
        Ledger ledger = Ledger.open(newDatabase());
        issue(ledger, 5, 0, 7);
        reject(ledger, 5, 7, 3);

        ledger.removeUncommitted(5, 5, 9);

        assertThat(ledger.identities().countIssuedBy(5)).isEqualTo(5);
        assertThat(ledger.rejections().countRejected(5)).isEqualTo(1);
        assertThat(ledger.identities().countIssued("out-1")).isEqualTo(5);
    }

    private static void issue(Ledger ledger, long instance, long firstRow, int rows) {
        issue(ledger, "out-1", instance, firstRow, rows);
    }

    private static void issue(Ledger ledger, String output, long instance, long firstRow, int rows) {
        ledger.identities().recordIssued(LongStream.range(firstRow, firstRow + rows).mapToObj(row -> {
            String device = "run" + instance + "-dev" + row;
            return new LedgerEntry(output, device, instance, instance * 10, row, row + 2, device, hex(instance, row, 'c'),
                    Long.toHexString(instance * 1000 + row), hex(instance, row, 'k'), T, T, "ec-p256", "BUNDLE", device,
                    "", LedgerEntry.IdentityStatus.ISSUED, T, Optional.empty());
        }).toList());
    }

    private static void reject(Ledger ledger, long instance, long firstRow, int rows) {
        ledger.rejections().recordRejected(LongStream.range(firstRow, firstRow + rows)
                .mapToObj(row -> new Rejection("out-1", instance, row, row + 2, "run" + instance + "-bad" + row, "bad row",
                        T, "INVALID_ROW"))
                .toList());
    }

    /** 64 hex digits, different for every run and row. */
    private static String hex(long instance, long row, char fill) {
        String id = Long.toHexString(instance) + "f" + Long.toHexString(row) + "f";
        return id + String.valueOf(fill).repeat(64 - id.length());
    }
}
