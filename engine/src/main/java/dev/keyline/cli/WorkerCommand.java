package dev.keyline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.keyline.job.BrokerAddress;
import dev.keyline.job.Database;
import dev.keyline.job.IssuanceKits;
import dev.keyline.job.Placement;
import dev.keyline.job.Provisioning;
import dev.keyline.job.remote.BrokerConnection;
import dev.keyline.job.remote.KeylineWorker;
import dev.keyline.job.remote.WorkerIdentity;

/**
 * {@code keyline worker}: a long-running process that takes the partitions of remote runs ({@code keyline run
 * --workers remote}) from a RabbitMQ queue and issues them with the same step as a local run, against the run's shared
 * PostgreSQL database.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Take the partitions of remote runs (keyline run --workers remote) from a RabbitMQ queue and issue "
                + "them, with the same step as a local run.",
                "Every worker needs: the run's database (--db, shared PostgreSQL), the broker (--broker), the run's "
                        + "manifest, CA folder and --out at the same paths as the manager (a shared file system), and "
                        + "the CA secret in its own environment ($" + Secrets.CA_PASSPHRASE + " or --passphrase-file, "
                        + "or the HSM PIN).",
                "Passwords come from the environment: $" + BrokerConnection.PASSWORD_VARIABLE
                        + " for the broker, $KEYLINE_DB_PASSWORD (and $KEYLINE_DB_USER) for the database.",
                "SIGTERM or Ctrl-C: the partitions running here stop after their current chunk, then the worker exits 0 "
                        + "(the manager hands the rest to other workers; a second signal stops at once).",
                "Exit codes: 0 stopped on a signal, 1 could not start (database or broker unreachable), 2 bad configuration."})
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--db", required = true, paramLabel = "JDBC_URL",
            description = "the shared database of the runs (jdbc:postgresql://HOST:5432/DB); password from $KEYLINE_DB_PASSWORD")
    String db;

    @Option(names = "--broker", required = true, paramLabel = "URL",
            description = "the RabbitMQ broker: amqp://USER@HOST:5672/VHOST (password from $"
                    + BrokerConnection.PASSWORD_VARIABLE + ")")
    String broker;

    @Option(names = "--threads", paramLabel = "N",
            description = "partitions run at once (default: the number of cores, ${sys:keyline.cores})")
    Integer threads;

    @Option(names = "--name", paramLabel = "NAME", description = "how status and the manager name this worker (default: the host name)")
    String name;

    @Option(names = "--queue", paramLabel = "NAME", defaultValue = Placement.Remote.DEFAULT_QUEUE,
            description = "the queue to take partitions from, as the manager's --queue (default: ${DEFAULT-VALUE})")
    String queue;

    @Option(names = "--log", paramLabel = "FILE", defaultValue = "keyline-worker.log",
            description = "the worker's log file (default: ${DEFAULT-VALUE} in the working directory)")
    Path log;

    @Mixin
    RunSecretFiles secretFiles = new RunSecretFiles();

    @Override
    public Integer call() throws Exception {
        int workerThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workerThreads < 1 || workerThreads > 256) {
            throw new UsageException("--threads must be between 1 and 256");
        }
        if (!Placement.Remote.validQueue(queue)) {
            throw new UsageException("--queue " + queue + " is not a queue name: 1 to 200 of A-Z a-z 0-9 . _ : -");
        }
        if (name != null && (name.isBlank() || name.length() > 128 || name.chars().anyMatch(Character::isISOControl))) {
            throw new UsageException("--name must be 1 to 128 printable characters");
        }
        Database database = Database.of(db);
        if (database.isEmbedded()) {
            throw new UsageException("--db " + db + " is an embedded H2 database, which only its own process can "
                    + "write: workers and the manager need a shared database, e.g. --db jdbc:postgresql://HOST:5432/keyline");
        }
        if (db.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new UsageException("--db must not carry a password; put it in the environment variable KEYLINE_DB_PASSWORD");
        }
        BrokerAddress address = BrokerAddress.parse(broker);
        WorkerIdentity me = WorkerIdentity.ofThisProcess(name, workerThreads, queue);
        BrokerConnection connection = BrokerConnection.open(address, System.getenv(), "worker");
        try (Provisioning provisioning = Provisioning.open(database, log.toAbsolutePath(), workerThreads,
                new IssuanceKits(secretFiles.secrets()))) {
            KeylineWorker worker = provisioning.startWorker(me, connection, System.out);
            StopOnSignal signals = new StopOnSignal(worker::requestStop,
                    "the manager restarts the partitions this worker held (--auto-restart), or: keyline restart --out DIR",
                    System.err);
            try {
                worker.awaitStopped();
            } finally {
                signals.close();
                worker.close();
            }
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
        return ExitCodes.OK;
    }
}
