package dev.keyline.job;

import javax.sql.DataSource;

import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.keyline.job.remote.WorkerRegistry;
import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.Ledger;

/**
 * What every Keyline context keeps in its database, jobs or not: the ledger (migrated on open, unless read-only),
 * Spring Batch's tables (created only when missing), the workers of remote runs, the deregistrations. Shared by
 * {@link ProvisionApplication}, which runs jobs, and {@link RunHistoryApplication}, which only reads them.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {

    @Bean
    Ledger ledger(DataSource dataSource) {
        return Ledger.open(dataSource);
    }

    @Bean
    BatchSchema batchSchema(DataSource dataSource, BatchJdbcProperties properties) {
        return new BatchSchema(dataSource, properties);
    }

    @Bean
    WorkerRegistry workerRegistry(DataSource dataSource) {
        WorkerRegistry registry = new WorkerRegistry(dataSource);
        registry.createSchema();
        return registry;
    }

    @Bean
    Deregistrations deregistrations(DataSource dataSource, Ledger ledger) {
        // After the ledger, whose migrations (V2) add the columns it uses to device_registration.
        return new Deregistrations(dataSource);
    }
}
