package dev.keyline.job.remote;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.repository.JobRepository;

import dev.keyline.job.BrokerAddress;
import dev.keyline.job.JobParameterNames;
import dev.keyline.job.Placement;
import dev.keyline.job.RemotePartitions;

/**
 * The manager's side of remote partitioning, for the process's whole life: one broker connection per broker a run
 * names, opened when a remote run's issue step starts (a local run never opens one), closed with the process.
 * Thread-safe.
 */
final class RemotePartitioning implements RemotePartitions, AutoCloseable {

    /** How often the manager reads the partitions and the heartbeats: a lost worker is noticed within a second of its timeout. */
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(RemotePartitioning.class);

    private final JobRepository repository;
    private final WorkerRegistry workers;
    private final Map<String, String> environment;
    private final Map<BrokerAddress, BrokerConnection> connections = new HashMap<>();

    RemotePartitioning(JobRepository repository, WorkerRegistry workers, Map<String, String> environment) {
        this.repository = repository;
        this.workers = workers;
        this.environment = environment;
    }

    @Override
    public PartitionHandler handler(Placement.Remote placement, JobExecution job, long rows, int chunkSize,
                                    LongConsumer committedRows) {
        BrokerConnection broker;
        synchronized (this) {
            broker = connections.computeIfAbsent(placement.broker(), a -> BrokerConnection.open(a, environment, "manager"));
        }
        PartitionRequests requests = new PartitionRequests(broker, placement.queue());
        int partitions = placement.partitions() > 0 ? placement.partitions()
                : PartitionCount.choose(rows, chunkSize, workers.running(), placement.queue());
        return new RemotePartitionHandler(repository, workers, requests, placement, JobParameterNames.ISSUE_WORKER,
                partitions, POLL, System::nanoTime, committedRows);
    }

    @Override
    public void quiesce(JobExecution died, Placement.Remote placement) throws InterruptedException {
        JobExecution fresh = repository.getJobExecution(died.getId());
        if (fresh == null || !fresh.getStatus().isRunning()) {
            return;
        }
        if (fresh.getStatus() != BatchStatus.STOPPING) {
            fresh.setStatus(BatchStatus.STOPPING);
            repository.update(fresh);
        }
        Liveness liveness = new Liveness(placement.workerTimeout(), System::nanoTime);
        long deadline = System.nanoTime() + 2 * placement.workerTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            liveness.observe(workers.running());
            Set<Long> running = new HashSet<>();
            repository.getJobExecution(died.getId()).getStepExecutions().stream()
                    .filter(s -> s.getStatus().isRunning()).forEach(s -> running.add(s.getId()));
            boolean held = workers.claims(died.getId()).stream().anyMatch(c -> c.ended().isEmpty()
                    && running.contains(c.stepExecutionId()) && liveness.alive(c.workerId()));
            if (!held) {
                return;
            }
            LOG.info("execution {}: waiting for workers to stop its partitions at a chunk boundary", died.getId());
            Thread.sleep(POLL.toMillis());
        }
        LOG.warn("execution {}: partitions still held by live workers after {}; recovering it anyway (their next "
                + "commit fails on the changed version)", died.getId(), placement.workerTimeout().multipliedBy(2));
    }

    @Override
    public synchronized void close() {
        connections.values().forEach(BrokerConnection::close);
        connections.clear();
    }
}
