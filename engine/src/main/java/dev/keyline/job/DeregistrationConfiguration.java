package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.time.Clock;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.Ledger;

/**
 * The {@code deregister} job ({@code keyline deregister}): the {@code deregister} step takes the (device, target)
 * pairs in flight back, then the output manifest is exported again. Built like the register job: the same registrars
 * per execution (targets, token buckets, retries), the same concurrency within a chunk, the same restart rules.
 */
@Configuration(proxyBeanMethods = false)
public class DeregistrationConfiguration {

    /** As the register step's: a kill loses little, and progress commits often. */
    static final int DEREGISTER_CHUNK = 100;

    @Bean
    Job deregisterJob(JobRepository jobs, @Qualifier("deregisterStep") Step deregister,
                      @Qualifier("manifestExportStep") Step export, StopRequest stop) {
        return new JobBuilder(DEREGISTER_JOB, jobs).observationRegistry(RunMetrics.observations()).listener(stop)
                .start(deregister).next(export).build();
    }

    @Bean
    @JobScope
    Step deregisterStep(JobRepository jobs, PlatformTransactionManager tx, @Value("#{jobExecution}") JobExecution job,
                        InFlightDeregistrationReader reader, DeregisterItemProcessor processor, DeregisterItemWriter writer) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("keyline-deregister-");
        executor.setConcurrencyLimit(RegistrationRun.of(job.getJobParameters()).registration().threads());
        return new StepBuilder("deregister", jobs).observationRegistry(RunMetrics.observations())
                .<Deregistrations.Row, Deregistrations.Outcome>chunk(DEREGISTER_CHUNK)
                .transactionManager(tx)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .taskExecutor(executor)
                .build();
    }

    @Bean
    @StepScope
    InFlightDeregistrationReader inFlightDeregistrationReader(Deregistrations deregistrations, RegistrationProgress progress,
                                                             @Value("#{stepExecution}") StepExecution step) {
        RegistrationRun run = RegistrationRun.of(step.getJobParameters());
        return new InFlightDeregistrationReader(deregistrations, run.outputId(), run.registration().targets(), progress);
    }

    @Bean
    @StepScope
    DeregisterItemProcessor deregisterItemProcessor(ExecutionRegistrars registrars, RegistrationProgress progress,
                                                    @Value("#{stepExecution}") StepExecution step) {
        RegistrationRun run = RegistrationRun.of(step.getJobParameters());
        long execution = step.getJobExecution().getId();
        return new DeregisterItemProcessor(registrars.open(execution, run.registration(), run.ca()),
                () -> registrars.close(execution), execution, progress, Clock.systemUTC());
    }

    @Bean
    @StepScope
    DeregisterItemWriter deregisterItemWriter(Ledger ledger, Deregistrations deregistrations, ExecutionRegistrars registrars,
                                              @Value("#{stepExecution}") StepExecution step) {
        return new DeregisterItemWriter(ledger, deregistrations, registrars, RegistrationRun.of(step.getJobParameters()).outputId(),
                step.getJobExecution().getId(), step.getStepName(), Clock.systemUTC());
    }
}
