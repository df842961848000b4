package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * A {@code keyline register} run over an output issued before: which output, and how to register; also the
 * parameters of a {@code keyline deregister} run (the same targets, configured the same way). Each run that
 * does not resume an unfinished one is a new job instance (a run number), because what it registers is decided
 * by the ledger (what is not REGISTERED yet), not by its parameters.
 *
 * @param ca the CA folder whose certificate with-CA targets name; empty for a register run of an earlier version,
 *           which did not keep it
 */
public record RegistrationRun(Path out, String outputId, RegistrationRequest registration, Optional<Path> ca) {

    public RegistrationRun {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(ca, "ca");
        ca = ca.map(c -> c.toAbsolutePath().normalize());
    }

    JobParameters toJobParameters(long runNumber) {
        JobParametersBuilder builder = new JobParametersBuilder()
                .addString(OUT, out.toAbsolutePath().normalize().toString(), true)
                .addLong(REGISTER_RUN, runNumber, true)
                .addString(OUTPUT_ID, outputId, false);
        ca.ifPresent(c -> builder.addString(CA, c.toString(), false));
        RunSettings.REGISTRATION.forEach(setting -> setting.write(registration, builder));
        return builder.toJobParameters();
    }

    static RegistrationRun of(JobParameters p) {
        String ca = p.getString(CA, "");
        return new RegistrationRun(Path.of(p.getString(OUT)), p.getString(OUTPUT_ID), RegistrationRequest.of(p),
                ca.isEmpty() ? Optional.empty() : Optional.of(Path.of(ca)));
    }
}
