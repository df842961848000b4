package dev.keyline.cli;

import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.keyline.job.ExecutionSummary;
import dev.keyline.job.PartitionSummary;
import dev.keyline.job.Placement;
import dev.keyline.job.Provisioning;
import dev.keyline.job.RegistrationExecution;
import dev.keyline.job.StepSummary;
import dev.keyline.job.remote.WorkerIdentity;
import dev.keyline.job.remote.WorkerRegistry;
import dev.keyline.text.InertJsonEscapes;

/**
 * {@code keyline status --format json}: the output's executions, their steps and partitions, its register executions
 * and the workers of its remote runs, as one document for schedulers and scripts (its fields are listed in README).
 * Times are the job repository's, ISO-8601 without a zone (the database's local time), as Spring Batch keeps them.
 */
final class JsonStatus {

    private final JsonGenerator json;

    JsonStatus(Writer out) {
        // C1 and bidirectional controls as JSON escapes: the raw document is inert too.
        this.json = JsonMapper.builder(JsonFactory.builder().characterEscapes(new InertJsonEscapes()).build()).build()
                .createGenerator(out);
    }

    void write(Path output, String outputId, boolean live, Provisioning provisioning, List<ExecutionSummary> executions,
               List<RegistrationExecution> registrations, List<RegistrationExecution> deregistrations,
               List<WorkerRegistry.WorkerRow> workers) {
        json.writeStartObject();
        json.writeNumberProperty("formatVersion", 1);
        json.writeStringProperty("output", output.toString());
        json.writeStringProperty("outputId", outputId);
        json.writeBooleanProperty("inUse", live);
        json.writeName("executions");
        json.writeStartArray();
        for (ExecutionSummary e : executions) {
            execution(e, live, output, provisioning);
        }
        json.writeEndArray();
        registrationExecutions("registerExecutions", "registered", registrations, live);
        registrationExecutions("deregisterExecutions", "takenBack", deregistrations, live);
        json.writeName("workers");
        json.writeStartArray();
        for (WorkerRegistry.WorkerRow w : workers) {
            json.writeStartObject();
            worker(w.identity());
            json.writeStringProperty("queue", w.identity().queue());
            json.writeNumberProperty("threads", w.identity().threads());
            json.writeStringProperty("state", w.stopped().isPresent() ? "stopped" : "running");
            json.writeNumberProperty("secondsSinceSeen", w.secondsSinceSeen());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
    }

    private void execution(ExecutionSummary e, boolean live, Path output, Provisioning provisioning) {
        json.writeStartObject();
        json.writeNumberProperty("run", e.instanceId());
        json.writeNumberProperty("execution", e.executionId());
        json.writeStringProperty("status", e.died(live) ? "DIED" : e.status());
        time("started", Optional.ofNullable(e.started()));
        time("ended", e.ended());
        duration(e.duration(live));
        json.writeNumberProperty("read", e.read());
        json.writeNumberProperty("issued", e.issued());
        json.writeNumberProperty("rejected", e.rejected());
        json.writeNumberProperty("failed", e.failed());
        boolean restartable = e.restartable() && !(live && e.running());
        json.writeBooleanProperty("restartable", restartable);
        if (restartable) {
            json.writeStringProperty("restart", "keyline restart --out " + output + " " + e.executionId());
        } else {
            json.writeNullProperty("restart");
        }
        json.writeStringProperty("exitDescription", firstLine(e.exitDescription()));
        json.writeStringProperty("manifest", e.request().manifest().toString());
        json.writeStringProperty("workers", e.request().placement() instanceof Placement.Remote ? "remote" : "local");
        json.writeName("steps");
        json.writeStartArray();
        for (StepSummary s : provisioning.steps(e.executionId())) {
            json.writeStartObject();
            json.writeStringProperty("name", s.name());
            json.writeStringProperty("status", s.status());
            json.writeStringProperty("exitCode", s.exitCode());
            json.writeNumberProperty("read", s.read());
            json.writeNumberProperty("written", s.written());
            json.writeNumberProperty("filtered", s.filtered());
            json.writeNumberProperty("commits", s.commits());
            json.writeNumberProperty("rollbacks", s.rollbacks());
            time("started", s.started());
            time("ended", s.ended());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeName("partitions");
        json.writeStartArray();
        for (PartitionSummary p : provisioning.partitions(e.executionId())) {
            json.writeStartObject();
            json.writeStringProperty("name", p.name());
            json.writeStringProperty("status", p.status());
            json.writeNumberProperty("firstRow", p.first());
            json.writeNumberProperty("endRow", p.end());
            json.writeNumberProperty("done", p.done());
            if (p.worker().isPresent()) {
                json.writeName("worker");
                json.writeStartObject();
                worker(p.worker().get());
                json.writeEndObject();
            } else {
                json.writeNullProperty("worker");
            }
            json.writeStringProperty("why", p.why());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void worker(WorkerIdentity w) {
        json.writeStringProperty("name", w.name());
        json.writeStringProperty("host", w.host());
        json.writeNumberProperty("pid", w.pid());
    }

    private void time(String name, Optional<LocalDateTime> time) {
        if (time.isPresent()) {
            json.writeStringProperty(name, time.get().toString());
        } else {
            json.writeNullProperty(name);
        }
    }

    private void duration(Optional<Duration> duration) {
        if (duration.isPresent()) {
            json.writeNumberProperty("durationSeconds", duration.get().toMillis() / 1000.0);
        } else {
            json.writeNullProperty("durationSeconds");
        }
    }

    /** An exit description's first line: Spring Batch keeps a stack trace after it. */
    private static String firstLine(String description) {
        return description == null ? "" : description.strip().lines().findFirst().orElse("");
    }

    /** @param done the name of the count of outcomes that stand: registered, or taken back */
    private void registrationExecutions(String name, String done, List<RegistrationExecution> executions, boolean live) {
        json.writeName(name);
        json.writeStartArray();
        for (RegistrationExecution r : executions) {
            json.writeStartObject();
            json.writeNumberProperty("execution", r.executionId());
            json.writeStringProperty("status", r.died(live) ? "DIED" : r.status());
            time("started", Optional.ofNullable(r.started()));
            time("ended", r.ended());
            duration(r.duration(live));
            json.writeName("targets");
            json.writeStartArray();
            r.targets().forEach(json::writeString);
            json.writeEndArray();
            json.writeNumberProperty(done, r.registered());
            json.writeNumberProperty("failed", r.failed());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
