package dev.keyline.job;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Import;

import dev.keyline.job.remote.RemoteConfiguration;

/**
 * The Spring Boot application behind the CLI: DataSource (HikariCP), JDBC JobRepository, the job.
 *
 * <p>The three auto-configurations it needs are named rather than discovered: with every auto-configuration on the
 * class path, Boot also set up AOP and annotation-driven transactions (whose post-processors inspect every bean,
 * the step-scoped ones once per partition), a task executor and scheduler, JMX checks and JDBC helpers that
 * nothing here uses. Keyline's code makes its own {@code JdbcTemplate}s and transactions.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        BatchJdbcAutoConfiguration.class})
@Import({LedgerConfiguration.class, ProvisionJobConfiguration.class, BulkRegistrationConfiguration.class, DeregistrationConfiguration.class,
        RemoteConfiguration.class})
public class ProvisionApplication {
}
