package dev.keyline.job;

import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import dev.keyline.aws.IotOperation;
import dev.keyline.aws.Registrar;
import dev.keyline.aws.RegistrationStats;

/**
 * Micrometer's Prometheus registry with Keyline's meters and Spring Batch's observations, pushed to a Pushgateway.
 *
 * <p>Keyline's meters read counters the run keeps anyway (function counters and timers), so the hot path pays nothing
 * for them: devices issued and rejected (by reason code) as committed, key generation and signing time, registration
 * outcomes, and per target and operation the AWS calls, throttles, faults and the token bucket's wait.
 *
 * <p>The push is the Pushgateway's HTTP API: {@code PUT URL/metrics/job/JOB/output_id/ID} with the registry's text
 * exposition, which replaces the group's metrics each time. The Prometheus client's own Pushgateway exporter is not
 * served by the registry this project builds from (see engine/pom.xml); the request is one PUT.
 */
final class PrometheusRunMetrics extends RunMetrics {

    private static final Logger log = LoggerFactory.getLogger(PrometheusRunMetrics.class);
    /** Reason codes, so a code with no rejection is pushed as 0 rather than missing. */
    private static final String[] REASON_CODES = {RejectCodes.DUPLICATE_DEVICE, RejectCodes.INVALID_ROW,
            RejectCodes.TEMPLATE_LINT, RejectCodes.CSR_REFUSED, RejectCodes.CSR_SUBJECT, RejectCodes.KEY_NOT_ALLOWED,
            RejectCodes.TOKEN_KEY_CONFLICT, RejectCodes.NOT_ISSUABLE};

    private final URI gateway;
    private final Duration interval;
    private final PrintStream warnings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ObservationRegistry observationRegistry = ObservationRegistry.create();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean warned = new AtomicBoolean();
    /** Function meters hold what they read weakly: the registrars' counters must outlive their closed registrars. */
    private final java.util.List<RegistrationStats> kept = new java.util.concurrent.CopyOnWriteArrayList<>();

    PrometheusRunMetrics(URI gateway, Duration interval, PrintStream warnings) {
        this.gateway = gateway;
        this.interval = interval;
        this.warnings = warnings;
        observationRegistry.observationConfig().observationHandler(new DefaultMeterObservationHandler(registry));
    }

    ObservationRegistry observationRegistry() {
        return observationRegistry;
    }

    @Override
    public AutoCloseable start(String job, String outputId, Provisioning provisioning) {
        bind(registry, provisioning);
        provisioning.whenRegistrarOpened(r -> {
            kept.add(r.stats());
            bind(registry, r);
        });
        URI target = URI.create(gateway.toString().replaceAll("/+$", "") + "/metrics/job/" + segment(job)
                + "/output_id/" + segment(outputId));
        ScheduledExecutorService pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keyline-metrics-push");
            t.setDaemon(true);
            return t;
        });
        pusher.scheduleAtFixedRate(() -> push(target), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            pusher.shutdown();
            try {
                pusher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            push(target);
            registry.close();
        };
    }

    private static void bind(MeterRegistry registry, Provisioning provisioning) {
        ProvisionProgress progress = provisioning.progress();
        FunctionCounter.builder("keyline.devices.issued", progress, ProvisionProgress::committedIssued)
                .description("device identities committed to the ledger by this process").register(registry);
        for (String code : REASON_CODES) {
            FunctionCounter.builder("keyline.devices.rejected", progress, p -> p.committedRejected(code)).tag("reason", code)
                    .description("manifest rows rejected, in committed chunks, by reason code").register(registry);
        }
        timer(registry, "keyline.key.generation", IssueTimings.KEY_GENERATION, "device key generation");
        timer(registry, "keyline.signing", IssueTimings.SIGNING, "certificate building and signing");
        RegistrationProgress registrations = provisioning.registrationProgress();
        FunctionCounter.builder("keyline.registrations", registrations, RegistrationProgress::registered)
                .tag("outcome", "registered").description("(device, target) registrations").register(registry);
        FunctionCounter.builder("keyline.registrations", registrations, RegistrationProgress::failed)
                .tag("outcome", "failed").description("(device, target) registrations").register(registry);
    }

    /** The process's timings counted from now: an earlier command in the same JVM (tests) is not this run's. */
    private static void timer(MeterRegistry registry, String name, IssueTimings timings, String description) {
        long baseCount = timings.count();
        double baseNanos = timings.totalNanos();
        FunctionTimer.builder(name, timings, t -> t.count() - baseCount, t -> t.totalNanos() - baseNanos,
                TimeUnit.NANOSECONDS).description(description).register(registry);
    }

    /** Per operation of one target: calls, throttles, faults and the rate limiter's wait. */
    private static void bind(MeterRegistry registry, Registrar registrar) {
        RegistrationStats stats = registrar.stats();
        String target = registrar.target().name();
        for (IotOperation operation : IotOperation.values()) {
            String name = operation.awsName();
            FunctionCounter.builder("keyline.registration.calls", stats, s -> s.attempts(operation))
                    .tags("target", target, "operation", name).description("AWS IoT calls sent, retries included")
                    .register(registry);
            FunctionCounter.builder("keyline.registration.throttles", stats, s -> s.throttles(operation))
                    .tags("target", target, "operation", name)
                    .description("calls AWS answered with ThrottlingException").register(registry);
            FunctionCounter.builder("keyline.registration.faults", stats, s -> s.faults(operation))
                    .tags("target", target, "operation", name).description("5xx answers and lost connections")
                    .register(registry);
            FunctionTimer.builder("keyline.registration.limiter.wait", stats, s -> s.limiterWaits(operation),
                            s -> s.limiterWaitNanos(operation), TimeUnit.NANOSECONDS)
                    .tags("target", target, "operation", name).description("waiting for the token bucket's permit")
                    .register(registry);
        }
    }

    private void push(URI target) {
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .PUT(HttpRequest.BodyPublishers.ofString(registry.scrape())).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                failed(target, "HTTP " + response.statusCode() + " " + response.body().strip());
            }
        } catch (java.io.IOException | RuntimeException e) {
            failed(target, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One warning on the console per run; every failure in the log. */
    private void failed(URI target, String why) {
        log.warn("could not push metrics to {}: {}", target, why);
        if (warned.compareAndSet(false, true)) {
            warnings.println("keyline: warning: cannot push metrics to " + gateway + " (" + why + "); the run goes on "
                    + "without them (further failures only in the log)");
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
