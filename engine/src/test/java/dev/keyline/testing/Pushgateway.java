package dev.keyline.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}) on a free port of 127.0.0.1, without
 * persistence, for the life of a test; and a reader of the samples it exposes on {@code /metrics}.
 */
public final class Pushgateway implements AutoCloseable {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Process process;
    private final URI url;
    private final HttpClient http = HttpClient.newHttpClient();

    private Pushgateway(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    public static Pushgateway start(Path dir) throws Exception {
        Path binary = Path.of("/usr/bin/prometheus-pushgateway");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("no Pushgateway: install Debian's prometheus-pushgateway package (.ci/run does)");
        }
        int port = freePort();
        Path log = dir.resolve("pushgateway.log");
        // Debian's build persists to /var/lib/prometheus by default: an empty file name keeps the test's pushes in memory.
        Process process = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Pushgateway gateway = new Pushgateway(process, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!gateway.ready()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the Pushgateway did not start: " + Files.readString(log));
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // returns at once if it exits
        }
        return gateway;
    }

    /** A port nothing listens on now (for a gateway that is down). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public URI url() {
        return url;
    }

    private boolean ready() {
        try {
            return http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One sample of {@code /metrics}: the metric's name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public List<Sample> samples() throws Exception {
        String text = http.send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
