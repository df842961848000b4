package dev.keyline.job.remote;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.integration.StaticMessageHeaderAccessor;
import org.springframework.integration.acks.AcknowledgmentCallback;
import org.springframework.integration.amqp.inbound.AmqpMessageSource;
import org.springframework.messaging.Message;

import dev.keyline.job.IssueWorkerSteps;

/**
 * A {@code keyline worker}: registers itself and beats its heartbeat in the shared database, then on each of its
 * threads takes one partition request at a time from the queue and runs it ({@link PartitionRunner}).
 *
 * <p><b>Fair dispatch.</b> A thread asks the broker for a request only when it is free (Spring Integration's polled
 * AMQP source, {@code basic.get}): so a request never waits in a busy worker's buffer while another worker idles,
 * which is what prefetch 1 gives a push consumer. The request is acknowledged as soon as the partition's claim is in
 * the database: from then on the database holds the partition, and a partition that runs for hours never meets the
 * broker's delivery-acknowledgement timeout (30 minutes by default). A worker that dies before its claim leaves the
 * request unacknowledged, and the broker hands it to another.
 *
 * <p><b>Stopping.</b> {@link #stop()} (SIGTERM) takes no more requests, asks each running partition to stop after
 * its current chunk, and returns once they have.
 */
public final class KeylineWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeylineWorker.class);
    /** How long a free thread waits before it asks the queue again when it was empty. */
    static final Duration IDLE_POLL = Duration.ofMillis(500);
    /** How long a thread waits before it asks a broker that did not answer again. */
    static final Duration BROKER_RETRY = Duration.ofSeconds(2);

    private final WorkerIdentity me;
    private final WorkerRegistry registry;
    private final BrokerConnection broker;
    private final PartitionRunner runner;
    private final PrintStream console;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch ended;
    private final Outage brokerOutage;
    private Heartbeat heartbeat;
    private volatile boolean stopping;

    private KeylineWorker(WorkerIdentity me, WorkerRegistry registry, BrokerConnection broker, PartitionRunner runner,
                          PrintStream console) {
        this.me = me;
        this.registry = registry;
        this.broker = broker;
        this.runner = runner;
        this.console = console;
        this.ended = new CountDownLatch(me.threads());
        this.brokerOutage = new Outage("the broker at " + broker.address(), System::nanoTime);
    }

    /**
     * Connects to the broker (declaring the queue), registers the worker and starts its threads.
     *
     * @throws BrokerUnavailableException the broker cannot be reached
     */
    public static KeylineWorker start(WorkerIdentity me, BrokerConnection broker, JobRepository repository,
                                      WorkerRegistry registry, IssueWorkerSteps steps, PrintStream console) {
        broker.declare(me.queue());
        PartitionRunner runner = new PartitionRunner(repository, registry, me, steps.perExecution(me.threads()),
                new ManifestCheck(me.host()), new ManagerWatch(registry), console);
        KeylineWorker worker = new KeylineWorker(me, registry, broker, runner, console);
        worker.heartbeat = Heartbeat.start(registry, me, runner::checkManagers, worker::say);
        for (int i = 0; i < me.threads(); i++) {
            AmqpMessageSource source = new AmqpMessageSource(broker.factory(), me.queue());
            source.setBeanFactory(IntegrationInfrastructure.minimal());
            source.afterPropertiesSet();
            Thread t = new Thread(() -> worker.take(source), "keyline-worker-" + (i + 1));
            worker.threads.add(t);
        }
        worker.threads.forEach(Thread::start);
        console.println("keyline worker " + me.describe() + ": taking partitions from queue " + me.queue() + " at "
                + broker.address() + " with " + me.threads() + (me.threads() == 1 ? " thread" : " threads"));
        return worker;
    }

    private void take(AmqpMessageSource source) {
        try {
            while (!stopping) {
                Message<?> message;
                try {
                    message = source.receive();
                } catch (RuntimeException e) {
                    brokerOutage.failed("cannot take from queue " + me.queue() + ": " + e.getMessage(), BROKER_RETRY)
                            .ifPresent(this::say);
                    sleep(BROKER_RETRY);
                    continue;
                }
                brokerOutage.answered().ifPresent(this::say);
                if (message == null) {
                    sleep(IDLE_POLL);
                    continue;
                }
                handle(message);
            }
        } finally {
            ended.countDown();
        }
    }

    private void handle(Message<?> message) {
        AcknowledgmentCallback ack = StaticMessageHeaderAccessor.getAcknowledgmentCallback(message);
        Object payload = message.getPayload();
        String text = payload instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : payload.toString();
        PartitionRequest request;
        try {
            request = PartitionRequest.fromJson(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("worker {}: dropped a message that is not a partition request: {}", me.describe(), e.getMessage());
            ack.acknowledge(AcknowledgmentCallback.Status.REJECT);
            return;
        }
        boolean[] acknowledged = {false};
        PartitionRunner.Outcome outcome;
        try {
            outcome = runner.run(request, () -> {
                ack.acknowledge(AcknowledgmentCallback.Status.ACCEPT);
                acknowledged[0] = true;
            });
        } catch (RuntimeException e) {
            LOG.error("worker {}: the request for step execution {} failed", me.describe(), request.stepExecutionId(), e);
            outcome = PartitionRunner.Outcome.REQUEUE;
        }
        if (!acknowledged[0]) {
            ack.acknowledge(outcome == PartitionRunner.Outcome.REQUEUE ? AcknowledgmentCallback.Status.REQUEUE
                    : AcknowledgmentCallback.Status.ACCEPT);
            if (outcome == PartitionRunner.Outcome.REQUEUE && !stopping) {
                sleep(Duration.ofSeconds(1)); // the database did not answer: do not spin on the same request
            }
        }
    }

    /** A line for the operator: the worker's console and its log. Thread-safe (PrintStream is). */
    private void say(String line) {
        LOG.warn("worker {}: {}", me.describe(), line);
        console.println("keyline worker " + me.describe() + ": " + line);
    }

    /**
     * Takes no more requests; each running partition stops after its current chunk (callable from a signal's thread;
     * returns at once). {@link #awaitStopped()} waits for them.
     */
    public void requestStop() {
        stopping = true;
        runner.stop();
    }

    /** Blocks until the worker has stopped. */
    public void awaitStopped() throws InterruptedException {
        ended.await();
    }

    public WorkerIdentity identity() {
        return me;
    }

    @Override
    public void close() {
        stopping = true;
        runner.stop();
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (heartbeat != null) {
            heartbeat.close();
        }
        try {
            registry.stopped(me.id());
        } catch (RuntimeException e) {
            LOG.warn("worker {}: could not record its stop: {}", me.describe(), e.getMessage());
        }
        broker.close();
        console.println("keyline worker " + me.describe() + ": stopped");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
