package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.REGISTER_JOB;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

import dev.keyline.aws.RegistrationMode;
import dev.keyline.aws.RegistrationTarget;

/**
 * An execution's registration targets split by how they register: one device per call (the {@code register} step)
 * or through the bulk registration task (the {@code bulk-register} step). Read from the execution's own
 * parameters, as a provision run or a {@code keyline register} run keeps them.
 */
record ExecutionTargets(RegistrationRequest request, Optional<Path> ca, Path out, String outputId) {

    static ExecutionTargets of(JobExecution execution) {
        JobParameters p = execution.getJobParameters();
        if (execution.getJobInstance().getJobName().equals(REGISTER_JOB)) {
            RegistrationRun run = RegistrationRun.of(p);
            return new ExecutionTargets(run.registration(), run.ca(), run.out(), run.outputId());
        }
        RunRequest run = RunRequest.of(p);
        return new ExecutionTargets(run.registration(), Optional.of(run.ca()), run.out(), run.outputId());
    }

    /** Targets registered one device per call, by name, in the request's order. */
    List<String> perCall() {
        if (!request.registers()) {
            return List.of();
        }
        return RegistrationTargets.selected(request, ca).stream().filter(t -> t.mode() != RegistrationMode.BULK_TASK)
                .map(RegistrationTarget::name).toList();
    }

    /** Targets registered through the bulk registration task, in the request's order. */
    List<RegistrationTarget> bulk() {
        if (!request.registers()) {
            return List.of();
        }
        return RegistrationTargets.selected(request, ca).stream().filter(t -> t.mode() == RegistrationMode.BULK_TASK).toList();
    }
}
