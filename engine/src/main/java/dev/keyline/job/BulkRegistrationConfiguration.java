package dev.keyline.job;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationTasks;

/**
 * The {@code bulk-register} step of both jobs (after {@code register}, before {@code export}) and the ledger store it
 * keeps its tasks in. Kept apart from {@link ProvisionJobConfiguration} so that the bulk task's wiring stays in one
 * place.
 */
@Configuration(proxyBeanMethods = false)
public class BulkRegistrationConfiguration {

    @Bean
    RegistrationTasks registrationTasks(Ledger ledger) {
        return ledger.registrationTasks();
    }

    @Bean
    @JobScope
    Step bulkRegisterStep(JobRepository jobs, PlatformTransactionManager tx, Ledger ledger, RegistrationTasks tasks,
                          RegistrationProgress progress, StopRequest stop,
                          @Value("#{jobExecution}") JobExecution job) {
        TransactionTemplate requiresNew = new TransactionTemplate(tx);
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return new StepBuilder("bulk-register", jobs).observationRegistry(RunMetrics.observations())
                .tasklet(new BulkRegistrationTasklet(ledger, tasks, requiresNew, progress, jobs, stop), tx)
                .build();
    }
}
