package dev.keyline.job;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

import dev.keyline.job.remote.RemoteConfiguration;

/** The Spring Boot application behind the CLI: DataSource (HikariCP), JDBC JobRepository, the job. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({LedgerConfiguration.class, ProvisionJobConfiguration.class, BulkRegistrationConfiguration.class, DeregistrationConfiguration.class,
        RemoteConfiguration.class})
public class ProvisionApplication {
}
