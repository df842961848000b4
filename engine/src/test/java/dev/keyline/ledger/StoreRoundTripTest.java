package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each store reads back exactly what it wrote, every field: the values differ from field to field (no two longs, no
 * two strings, no two times alike), so a column bound or read in another's place cannot go unnoticed.
 */
class StoreRoundTripTest {

    private static final Instant T1 = Instant.parse("2026-12-02T08:00:01Z");
    private static final Instant T2 = Instant.parse("2026-12-02T08:00:02Z");
    private static final Instant T3 = Instant.parse("2026-12-02T08:00:03Z");

    @TempDir
    Path dir;
    private Ledger ledger;

    @BeforeEach
    void openLedger() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("ledger"));
        dataSource.setUser("sa");
        ledger = Ledger.open(dataSource);
    }

    @Test
    void anIdentityReadsBackAsItWasRecordedByEveryRead() {
        LedgerEntry entry = new LedgerEntry("out-1", "dev-1", 11, 12, 13, 14, "thing-1", "c".repeat(64), "5e7a1",
                "k".repeat(64), T1, T2, "ec-p384", "DEVICE", "bundles/dev-1.tar", "ab  bundles/dev-1.tar",
                LedgerEntry.IdentityStatus.ISSUED, T3, Optional.of(new RegistrationInput(new byte[] {1, 2, 3},
                        Optional.of("sensor"), List.of("line-a", "line-b"), Map.of("site", "Lyon"), List.of("eu", "us"))));

        ledger.identities().recordIssued(List.of(entry));

        assertThat(ledger.identities().find("out-1", "dev-1")).get().usingRecursiveComparison().isEqualTo(entry);
        List<LedgerEntry> streamed = new ArrayList<>();
        ledger.identities().forEachIssued("out-1", streamed::add);
        assertThat(streamed).singleElement().usingRecursiveComparison().isEqualTo(entry);
        List<LedgerEntry> exported = new ArrayList<>();
        ledger.identities().forEachIssuedWithRegistrations("out-1", (e, registrations) -> exported.add(e));
        assertThat(exported).singleElement().usingRecursiveComparison().ignoringFields("registration").isEqualTo(entry);
        assertThat(ledger.pendingRegistrations().registrationCandidates("out-1", null, 10)).singleElement()
                .usingRecursiveComparison().isEqualTo(new RegistrationCandidate("dev-1", "thing-1", "c".repeat(64),
                        entry.registration().orElseThrow(), java.util.Set.of()));
    }

    @Test
    void aRejectionReadsBackAsItWasRecorded() {
        Rejection rejection = new Rejection("out-1", 21, 22, 23, "dev-9", "country \"XX\" is not an ISO 3166 code", T1,
                "INVALID_ROW");

        ledger.rejections().recordRejected(List.of(rejection));

        List<Rejection> read = new ArrayList<>();
        ledger.rejections().forEachRejected(21, read::add);
        assertThat(read).containsExactly(rejection);
        assertThat(ledger.rejections().rejectGroups(21, 5)).containsExactly(new RejectGroup("INVALID_ROW", 1, List.of(rejection)));
    }

    @Test
    void registrationsReadBackAsRecordedAndAReplacedOneCountsItsAttempts() {
        ledger.identities().recordIssued(List.of(new LedgerEntry("out-1", "dev-1", 1, 1, 0, 2, "dev-1", "c".repeat(64), "1",
                "k".repeat(64), T1, T2, "ec-p256", "BUNDLE", "dev-1", "", LedgerEntry.IdentityStatus.ISSUED, T1, Optional.empty())));
        RegistrationRecord failed = new RegistrationRecord("out-1", "dev-1", "eu", RegistrationStatus.FAILED, Optional.empty(),
                Optional.empty(), Optional.of("ThrottlingException"), Optional.of("Rate exceeded"), 31, T1);
        RegistrationRecord registered = new RegistrationRecord("out-1", "dev-1", "eu", RegistrationStatus.REGISTERED,
                Optional.of("arn:cert"), Optional.of("arn:thing"), Optional.empty(), Optional.empty(), 32, T2);

        ledger.registrations().recordRegistrations(List.of(failed));
        assertThat(ledger.registrations().registrationsOf("out-1", "dev-1")).containsExactly(failed);
        ledger.registrations().recordRegistrations(List.of(registered));

        assertThat(ledger.registrations().registrationsOf("out-1", "dev-1")).containsExactly(registered);
        List<List<RegistrationRecord>> exported = new ArrayList<>();
        ledger.identities().forEachIssuedWithRegistrations("out-1", (e, registrations) -> exported.add(registrations));
        assertThat(exported).containsExactly(List.of(registered));
        assertThat(ledger.registrations().registrationTallies("out-1")).isEqualTo(Map.of(32L, new RegistrationTally(1, 0)));
    }

    @Test
    void archivesChunksAndCallsReadBackAsRecorded() {
        ArchiveRecord archive = new ArchiveRecord("bundles/dev-1.tar", "d".repeat(64), 41);
        ChunkCommit chunk = new ChunkCommit(51, "issue-worker:partition0", T1, 52, 53, 54, 55, "ec-p256=52");
        CallCount calls = new CallCount(61, "eu", "RegisterThing", 62, 63, 64, new long[LatencyBuckets.SIZE]);
        calls.latencyBuckets()[2] = 65;

        ledger.archives().recordArchives("out-1", 42, List.of(archive), T2);
        ledger.runRecords().recordChunk(chunk);
        ledger.runRecords().recordCalls(List.of(calls));

        assertThat(ledger.archives().archives("out-1")).containsExactly(archive);
        assertThat(ledger.runRecords().chunkCommits(51)).containsExactly(chunk);
        assertThat(ledger.runRecords().calls(61)).singleElement().usingRecursiveComparison().isEqualTo(calls);
    }

    @Test
    void aRegistrationTaskReadsBackAsPreparedThenStartedThenEnded() {
        RegistrationTask task = new RegistrationTask("out-1", "eu", 71, 72, "111122223333", "bucket-1", "prefix/key-1.json",
                2, "dev-2", Optional.empty(), RegistrationTask.State.PREPARED, Optional.empty(), Optional.empty());

        ledger.registrationTasks().prepare(task, List.of("dev-1", "dev-2"), T1);
        assertThat(ledger.registrationTasks().all("out-1")).containsExactly(task);
        ledger.registrationTasks().started("out-1", "eu", 71, "task-1", T2);
        ledger.registrationTasks().ended("out-1", "eu", 71, "Completed", Optional.of("done"), T3);

        assertThat(ledger.registrationTasks().all("out-1")).containsExactly(new RegistrationTask("out-1", "eu", 71, 72,
                "111122223333", "bucket-1", "prefix/key-1.json", 2, "dev-2", Optional.of("task-1"), RegistrationTask.State.ENDED,
                Optional.of("Completed"), Optional.of("done")));
        assertThat(ledger.registrationTasks().lastDeviceSent("out-1", "eu", 72)).contains("dev-2");
    }
}
