package dev.keyline.job;

/**
 * Which output, job instance and execution a piece of work belongs to; recorded with every ledger row.
 */
public record RunIdentity(String outputId, long jobInstanceId, long jobExecutionId) {
}
