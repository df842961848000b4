package dev.keyline.job;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The Spring Boot application behind {@code keyline status}, which reads an output's executions and ledger and runs no
 * job: the same DataSource (HikariCP), JDBC JobRepository and ledger as {@link ProvisionApplication}, configured by the
 * same properties, without the jobs, their scoped steps and proxies, or remote partitioning. Building those was most
 * of the command's start-up.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        BatchJdbcAutoConfiguration.class})
@Import(LedgerConfiguration.class)
public class RunHistoryApplication {
}
