package dev.keyline.job.remote;

import java.util.Map;

import org.springframework.batch.integration.partition.StepExecutionRequest;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What goes through the queue for one partition: Spring Batch's {@link StepExecutionRequest} (the step's name and the
 * step execution's id; the worker reads everything else from the shared JobRepository), and the job execution's id
 * for the worker's logs and claims. Carried as JSON text, not Java serialization, so a worker never deserializes
 * objects a broker handed it.
 */
record PartitionRequest(String stepName, long stepExecutionId, long jobExecutionId) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    StepExecutionRequest toStepExecutionRequest() {
        return new StepExecutionRequest(stepName, stepExecutionId);
    }

    String toJson() {
        return JSON.writeValueAsString(Map.of("step", stepName, "stepExecutionId", stepExecutionId,
                "jobExecutionId", jobExecutionId));
    }

    /** @throws IllegalArgumentException not a request Keyline sent */
    static PartitionRequest fromJson(String json) {
        try {
            var node = JSON.readTree(json);
            if (!node.hasNonNull("step") || !node.hasNonNull("stepExecutionId") || !node.hasNonNull("jobExecutionId")) {
                throw new IllegalArgumentException("not a Keyline partition request");
            }
            return new PartitionRequest(node.get("step").asString(), node.get("stepExecutionId").asLong(),
                    node.get("jobExecutionId").asLong());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a Keyline partition request: " + e.getOriginalMessage(), e);
        }
    }
}
