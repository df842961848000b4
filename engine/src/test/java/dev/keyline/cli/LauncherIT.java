package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.IndependentVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code ./keyline} launcher as a user runs it, on the jar Maven just packaged (failsafe, after {@code package}):
 * its start-up archive is made once per build and JVM, used by later commands, and never gets in a command's way,
 * not when it is damaged, cannot be made, or is turned off (docs/startup.md).
 */
@Tag("full")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path LAUNCHER = ROOT.resolve("keyline");
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final String PREPARING = "preparing the start-up archive";

    /** One cache for the JDK 17 tests: a training takes up to a minute or two on a busy machine, so it is made once. */
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private record Outcome(int exit, String out, String err) {
    }

    @Test
    @Order(1)
    void theFirstCommandMakesTheArchiveAndLaterOnesStartFromIt() throws Exception {
        assertTrainsAndUses(Path.of(System.getProperty("java.home")), shared.resolve("cache"), ".jsa");
    }

    @Test
    @Order(2)
    void onJdk25TheArchiveIsAnAotCache() throws Exception {
        // Temurin 25 is installed beside JDK 17 on every machine of this project's kind (the env notes).
        assertThat(JDK_25.resolve("bin/java")).as("JDK 25 at " + JDK_25).isExecutable();
        assertTrainsAndUses(JDK_25, dir.resolve("cache"), ".aot");
    }

    private void assertTrainsAndUses(Path javaHome, Path cache, String kind) throws Exception {
        Map<String, String> env = Map.of("JAVA_HOME", javaHome.toString(), "KEYLINE_CACHE_DIR", cache.toString());
        Path ca = dir.resolve("ca");
        Outcome first = keyline(env, "ca", "init", "--subject", "CN=Launcher CA,O=Acme,C=US", "--out", ca.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains(PREPARING);
        assertThat(archives(cache)).singleElement().satisfies(a -> assertThat(a.toString()).endsWith(kind));

        Path out = dir.resolve("out");
        Path classLog = dir.resolve("classes.log");
        Map<String, String> logged = new HashMap<>(env);
        logged.put("KEYLINE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
        Outcome run = keyline(logged, "run", ROOT.resolve("samples/manifest-1000.csv").toString(), "--ca", ca.toString(),
                "--out", out.toString(), "--no-progress");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain(PREPARING);
        // Most classes come from the archive: the command started from it.
        List<String> loads = Files.readAllLines(classLog);
        long shared = loads.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertThat(shared).as("classes loaded from the archive, of %d", loads.size()).isGreaterThan(loads.size() / 2);
        verifyOneBundle(ca, out);

        Outcome status = keyline(env, "status", "--out", out.toString(), "--format", "json");
        assertThat(status.exit()).as(status.err()).isZero();
        JsonNode execution = json(status.out()).get("executions").get(0);
        assertThat(execution.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(execution.get("issued").asLong()).isEqualTo(1000);
    }

    /** Last: it damages the archive the first test made. */
    @Test
    @Order(3)
    void aDamagedArchiveIsPassedOverInSilence() throws Exception {
        Path cache = shared.resolve("cache");
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "KEYLINE_CACHE_DIR", cache.toString());
        assertThat(archives(cache)).as("the archive the first test made").hasSize(1);
        Path archive = archives(cache).get(0);
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 3));

        Outcome lint = keyline(env, "lint", ROOT.resolve("samples/manifest-1000.csv").toString(), "--format", "json");
        assertThat(lint.exit()).as(lint.err()).isZero();
        json(lint.out()); // stdout is the report and nothing else: no JVM warning about the archive
        assertThat(lint.err()).isEmpty();
    }

    @Test
    @Order(4)
    void whenTheArchiveCannotBeMadeCommandsRunWithoutIt() throws Exception {
        Map<String, String> env = Map.of("KEYLINE_CACHE_DIR", dir.resolve("cache").toString(),
                "TMPDIR", dir.resolve("missing").toString());
        Outcome lint = keyline(env, "lint", ROOT.resolve("samples/manifest-1000.csv").toString(), "--format", "json");
        assertThat(lint.exit()).as(lint.err()).isZero();
        json(lint.out());
        assertThat(archives(dir.resolve("cache"))).isEmpty();
    }

    @Test
    @Order(5)
    void turnedOffItRunsTheJarAsItIs() throws Exception {
        Path cache = dir.resolve("cache");
        Outcome version = keyline(Map.of("KEYLINE_CACHE_DIR", cache.toString(), "KEYLINE_STARTUP_ARCHIVE", "off"), "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).contains("keyline 0.1.0");
        assertThat(cache).doesNotExist();
    }

    @Test
    @Order(6)
    void shortCommandsGetTheThroughputCollectorUnlessOneIsNamed() throws Exception {
        Path cache = dir.resolve("cache");
        Outcome chosen = keyline(Map.of("KEYLINE_CACHE_DIR", cache.toString(), "KEYLINE_STARTUP_ARCHIVE", "off",
                "KEYLINE_JAVA_OPTS", "-Xlog:gc=info:stderr"), "--version");
        assertThat(chosen.exit()).as(chosen.err()).isZero();
        assertThat(chosen.err()).contains("Using Parallel");
        Outcome named = keyline(Map.of("KEYLINE_CACHE_DIR", cache.toString(), "KEYLINE_STARTUP_ARCHIVE", "off",
                "KEYLINE_JAVA_OPTS", "-XX:+UseSerialGC -Xlog:gc=info:stderr"), "--version");
        assertThat(named.exit()).as(named.err()).isZero();
        assertThat(named.err()).contains("Using Serial").doesNotContain("Using Parallel");

        // A large run or lint (more than 300,000 lines) keeps the JVM's own collector, G1, with both JIT tiers.
        Path large = dir.resolve("large.csv");
        StringBuilder rows = new StringBuilder("device_id\n");
        for (int i = 0; i <= 300_000; i++) {
            rows.append("device-").append(i).append('\n');
        }
        Files.writeString(large, rows);
        Outcome lint = keyline(Map.of("KEYLINE_CACHE_DIR", cache.toString(), "KEYLINE_STARTUP_ARCHIVE", "off",
                "KEYLINE_JAVA_OPTS", "-Xlog:gc=info:stderr"), "lint", large.toString(), "--format", "json");
        assertThat(lint.exit()).as(lint.err()).isZero();
        assertThat(lint.err()).contains("Using G1").doesNotContain("Using Parallel");
    }

    private void verifyOneBundle(Path ca, Path out) {
        Path bundle;
        try (Stream<Path> bundles = Files.list(out.resolve("bundles"))) {
            bundle = bundles.filter(Files::isDirectory).filter(b -> !b.getFileName().toString().startsWith(".")).sorted().findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, List.of(bundle.resolve("device.crt.pem")));
        IndependentVerifier.validateWithJdk(IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem")), List.of(),
                IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem")));
    }

    private static List<Path> archives(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(cache)) {
            return all.filter(p -> p.getFileName().toString().startsWith("startup-"))
                    .filter(p -> p.toString().endsWith(".jsa") || p.toString().endsWith(".aot")).toList();
        }
    }

    private static JsonNode json(String text) {
        return JsonMapper.builder().build().readTree(text);
    }

    private Outcome keyline(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("KEYLINE_CA_PASSPHRASE", "launcher-test-passphrase");
        builder.environment().remove("KEYLINE_JAVA_OPTS");
        builder.environment().putAll(env);
        Process process = builder.start();
        // A training run on a busy machine takes a minute or two; a launcher that hangs is a failure, not a wait.
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("keyline " + String.join(" ", args) + " did not end in 10 minutes");
        }
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
