package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.CliCa;
import dev.keyline.x509.CertificateProfile;

/**
 * Each job execution's kit is opened from that execution's own parameters, once for all its partitions in this
 * process, and closed when the last of them gives it back: what lets a worker issue for a run it was never handed.
 */
class ExecutionKitsTest {

    @TempDir
    static Path dir;

    static CertificateAuthority ca;

    @BeforeAll
    static void ca() throws Exception {
        ca = CliCa.create(dir).authority();
    }

    private final List<RunRequest> opened = new ArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();

    private IssuanceKit open(RunRequest request) {
        synchronized (opened) {
            opened.add(request);
        }
        return new IssuanceKit(ca, CertificateProfile.defaults(), new SoftwareKeySource(),
                new BundleOptions(request.out(), Optional.empty(), false), request.key(),
                List.of(closed::incrementAndGet));
    }

    private static JobExecution execution(long id, String manifest) {
        RunRequest request = RunRequest.builder(dir.resolve(manifest), "ab".repeat(32), dir.resolve("out"), "output-1",
                dir.resolve("ca")).threads(2).chunkSize(40).cryptoProvider(CryptoProvider.BC).build();
        return new JobExecution(id, new JobInstance(id, JobParameterNames.JOB), request.toJobParameters());
    }

    @Test
    void partitionsOfOneExecutionShareOneKitOpenedFromItsParameters() throws Exception {
        ExecutionKits kits = new ExecutionKits(this::open, new ProvisionProgress());
        JobExecution execution = execution(7, "m.csv");
        int partitions = 4;
        CountDownLatch together = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(partitions);
        try {
            List<Future<ExecutionKit>> leases = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                leases.add(threads.submit(() -> {
                    together.await();
                    return kits.lease(execution);
                }));
            }
            together.countDown();
            ExecutionKit first = leases.get(0).get();
            for (Future<ExecutionKit> lease : leases) {
                assertThat(lease.get()).isSameAs(first);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0)).as("rebuilt from the execution's job parameters")
                .isEqualTo(RunRequest.of(execution.getJobParameters()));
        assertThat(opened.get(0).manifest()).isEqualTo(dir.resolve("m.csv").toAbsolutePath().normalize());

        for (int i = 0; i < partitions - 1; i++) {
            kits.release(7);
            assertThat(closed).as("still leased by a partition").hasValue(0);
        }
        kits.release(7);
        assertThat(closed).as("the last partition gave it back").hasValue(1);
        kits.release(7);
        assertThat(closed).as("a release too many closes nothing").hasValue(1);
    }

    @Test
    void eachExecutionHasItsOwnKitAndALaterPartitionOpensItAgain() {
        ExecutionKits kits = new ExecutionKits(this::open, new ProvisionProgress());
        ExecutionKit a = kits.lease(execution(1, "a.csv"));
        ExecutionKit b = kits.lease(execution(2, "b.csv"));
        assertThat(a).isNotSameAs(b);
        assertThat(a.csrKeys()).isNotSameAs(b.csrKeys());
        assertThat(opened).extracting(r -> r.manifest().getFileName().toString()).containsExactly("a.csv", "b.csv");

        kits.release(1);
        ExecutionKit again = kits.lease(execution(1, "a.csv"));
        assertThat(again).as("a worker's next partition of the run").isNotSameAs(a);
        assertThat(opened).hasSize(3);
        assertThat(closed).hasValue(1);
    }

    @Test
    void aKitThatCannotOpenFailsThePartitionAndIsTriedAgainByTheNext() {
        AtomicInteger attempts = new AtomicInteger();
        ExecutionKits kits = new ExecutionKits(request -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("no CA passphrase in this worker's environment");
            }
            return open(request);
        }, new ProvisionProgress());
        JobExecution execution = execution(3, "m.csv");
        assertThatThrownBy(() -> kits.lease(execution)).hasMessageContaining("no CA passphrase");
        assertThat(kits.lease(execution)).isNotNull();
        kits.release(3);
        assertThat(closed).hasValue(1);
    }
}
