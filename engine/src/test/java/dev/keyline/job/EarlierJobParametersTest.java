package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Job parameters as earlier versions wrote them, which the job repository (H2 file or PostgreSQL) of an existing
 * output still holds: they read back as the run they started, and the same run today writes the same parameters, so
 * {@code run} finds the same job instance to resume and {@code restart} can restart it. Spring Batch stores each
 * parameter as its name, type, value and identifying flag, so parameters equal in all four are equal rows.
 */
class EarlierJobParametersTest {

    /** What the version before the settings were described wrote for {@link RunRequestTest#EVERY_SETTING_SET}. */
    static final JobParameters BEFORE_DESCRIBED = new JobParametersBuilder()
            .addString("manifest", "/runs/devices.jsonl", true)
            .addString("manifest-sha256", "5e1f", true)
            .addString("out", "/runs/out", true)
            .addString("format", "JSONL", false)
            .addString("output-id", "output-7", false)
            .addLong("threads", 3L, false)
            .addLong("chunk-size", 7L, false)
            .addLong("skip-limit", 11L, false)
            .addString("key", "ec-p384", false)
            .addString("profile", "/runs/profile.yaml", false)
            .addString("ca", "/cas/root", false)
            .addString("pkcs12", "true", false)
            .addString("crypto-provider", "jdk", false)
            .addString("template", "/runs/jitp.json", false)
            .addString("cn-to-san", "true", false)
            .addString("key-pool", "/pools/rsa", false)
            .addString("bundle-layout", "archive", false)
            .addString("keys", "hsm", false)
            .addString("hsm", "/runs/hsm.yaml", false)
            .addString("register-targets", "eu,us", false)
            .addString("register-config", "/runs/targets.yaml", false)
            .addString("register-settings",
                    "keyline.targets.eu.region=eu-west-1\nkeyline.targets.us.region=us-east-1", false)
            .addLong("register-threads", 5L, false)
            .toJobParameters();

    /** {@link RunRequestTest#EVERY_SETTING_SET} as the version before remote workers could have run it: locally. */
    static final RunRequest EVERY_SETTING_BEFORE_WORKERS = RunRequestTest.EVERY_SETTING_SET.toBuilder()
            .placement(Placement.LOCAL).build();

    /** What the first provision job wrote: the settings it had. */
    static final JobParameters FIRST_VERSION = new JobParametersBuilder()
            .addString("manifest", "/runs/devices.csv", true)
            .addString("manifest-sha256", "5e1f", true)
            .addString("out", "/runs/out", true)
            .addString("format", "CSV", false)
            .addString("output-id", "output-1", false)
            .addLong("threads", 2L, false)
            .addLong("chunk-size", 500L, false)
            .addLong("skip-limit", -1L, false)
            .addString("key", "", false)
            .addString("profile", "", false)
            .addString("ca", "/cas/root", false)
            .addString("pkcs12", "false", false)
            .toJobParameters();

    @Test
    void parametersOfTheVersionBeforeReadBackAsTheRunTheyStarted() {
        assertThat(RunRequest.of(BEFORE_DESCRIBED)).isEqualTo(EVERY_SETTING_BEFORE_WORKERS);
    }

    @Test
    void theSameRunWritesTheSameParametersAndSoIsTheSameJobInstance() {
        JobParameters now = EVERY_SETTING_BEFORE_WORKERS.toJobParameters();
        assertThat(RunRequestTest.Stored.of(now)).as("all it wrote, and the placement: not identifying")
                .containsAll(RunRequestTest.Stored.of(BEFORE_DESCRIBED))
                .contains(new RunRequestTest.Stored("workers", String.class, "local", false))
                .hasSize(RunRequestTest.Stored.of(BEFORE_DESCRIBED).size() + 1);
        assertThat(new DefaultJobKeyGenerator().generateKey(now))
                .isEqualTo(new DefaultJobKeyGenerator().generateKey(BEFORE_DESCRIBED));
    }

    @Test
    void parametersOfTheFirstVersionReadBackWithWhatTheLaterSettingsMeantBeforeThem() {
        RunRequest expected = RunRequest.builder(Path.of("/runs/devices.csv"), "5e1f", Path.of("/runs/out"), "output-1",
                Path.of("/cas/root")).threads(2).build();
        assertThat(RunRequest.of(FIRST_VERSION)).isEqualTo(expected);
    }

    @Test
    void aRegisterRunOfTheVersionBeforeReadsBackAndWritesTheSameParameters() {
        JobParameters before = new JobParametersBuilder()
                .addString("out", "/runs/out", true)
                .addLong("register-run", 1_767_225_600_000L, true)
                .addString("output-id", "output-7", false)
                .addString("register-targets", "eu", false)
                .addString("register-config", "", false)
                .addString("register-settings", "keyline.targets.eu.region=eu-west-1", false)
                .addLong("register-threads", 16L, false)
                .toJobParameters();
        RegistrationRun run = new RegistrationRun(Path.of("/runs/out"), "output-7", new RegistrationRequest(List.of("eu"),
                Optional.empty(), List.of("keyline.targets.eu.region=eu-west-1"), 16), Optional.empty());
        assertThat(RegistrationRun.of(before)).as("it kept no CA: its targets are read without one, as before")
                .isEqualTo(run);
        assertThat(RunRequestTest.Stored.of(run.toJobParameters(1_767_225_600_000L)))
                .isEqualTo(RunRequestTest.Stored.of(before));
    }

    @Test
    void aRegisterRunKeepsItsCaSoThatAResumeConfiguresTheSameTargets() {
        RegistrationRun run = new RegistrationRun(Path.of("/runs/out"), "output-7", new RegistrationRequest(List.of("eu"),
                Optional.empty(), List.of("keyline.targets.eu.region=eu-west-1"), 16), Optional.of(Path.of("/cas/root")));
        JobParameters written = run.toJobParameters(1_767_225_600_000L);
        assertThat(written.getParameter("ca")).as("not identifying: the run number identifies a register run")
                .satisfies(p -> assertThat(p.identifying()).isFalse());
        assertThat(RegistrationRun.of(written)).isEqualTo(run);
    }
}
