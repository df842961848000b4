package dev.keyline.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import dev.keyline.job.RunMetrics;
import picocli.CommandLine.Option;

/** {@code --metrics-push URL} and its interval, for the commands that run a job (run, restart, register). */
final class MetricsOptions {

    @Option(names = "--metrics-push", paramLabel = "URL",
            description = "push metrics to this Prometheus Pushgateway (e.g. http://127.0.0.1:9091) every "
                    + "--metrics-push-interval seconds and at the end, under job=provision|register and "
                    + "output_id=<the output's id>. A gateway that cannot be reached is one warning; the run goes on")
    String push;

    @Option(names = "--metrics-push-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "seconds between pushes (default: ${DEFAULT-VALUE})")
    int interval;

    /** Before the command opens its job context: Spring Batch's observations are wired when the jobs are built. */
    RunMetrics enable() {
        if (push == null) {
            return RunMetrics.off();
        }
        if (interval < 1 || interval > 3600) {
            throw new UsageException("--metrics-push-interval must be between 1 and 3600 seconds");
        }
        URI gateway;
        try {
            gateway = new URI(push);
        } catch (URISyntaxException e) {
            throw new UsageException("--metrics-push " + push + " is not a URL: give the Pushgateway's, e.g. "
                    + "http://127.0.0.1:9091");
        }
        if (!("http".equals(gateway.getScheme()) || "https".equals(gateway.getScheme())) || gateway.getHost() == null) {
            throw new UsageException("--metrics-push " + push + " is not an http(s) URL with a host: give the "
                    + "Pushgateway's, e.g. http://127.0.0.1:9091");
        }
        return RunMetrics.enable(gateway, Duration.ofSeconds(interval), System.err);
    }
}
