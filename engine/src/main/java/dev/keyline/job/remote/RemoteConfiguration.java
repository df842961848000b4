package dev.keyline.job.remote;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.keyline.job.RemotePartitions;

/**
 * What a context that runs jobs has of remote partitioning: the manager's partition handler, which opens a broker
 * connection only when a remote run's issue step starts. The workers' table is {@link dev.keyline.job.LedgerConfiguration}'s,
 * so that {@code status} reads it without this.
 */
@Configuration(proxyBeanMethods = false)
public class RemoteConfiguration {

    @Bean
    RemotePartitions remotePartitions(JobRepository repository, WorkerRegistry workers) {
        return new RemotePartitioning(repository, workers, System.getenv());
    }
}
