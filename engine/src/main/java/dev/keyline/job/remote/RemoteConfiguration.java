package dev.keyline.job.remote;

import javax.sql.DataSource;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.keyline.job.RemotePartitions;

/**
 * What every Keyline context has of remote partitioning: the workers' table (so {@code status} can read it) and the
 * manager's partition handler, which opens a broker connection only when a remote run's issue step starts.
 */
@Configuration(proxyBeanMethods = false)
public class RemoteConfiguration {

    @Bean
    WorkerRegistry workerRegistry(DataSource dataSource) {
        WorkerRegistry registry = new WorkerRegistry(dataSource);
        registry.createSchema();
        return registry;
    }

    @Bean
    RemotePartitions remotePartitions(JobRepository repository, WorkerRegistry workers) {
        return new RemotePartitioning(repository, workers, System.getenv());
    }
}
