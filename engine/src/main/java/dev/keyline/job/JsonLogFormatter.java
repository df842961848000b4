package dev.keyline.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.scope.context.JobContext;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.scope.context.StepContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.boot.logging.structured.StructuredLogFormatter;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import dev.keyline.text.InertText;

/**
 * The log file as JSON lines ({@code --log-format json}), for log shippers: one object per event with
 * {@code timestamp} (ISO-8601, UTC), {@code level}, {@code logger}, {@code thread}, {@code message}, and where they
 * exist {@code run} (the job instance), {@code execution}, {@code step} (Spring Batch's step, the partition's for the
 * issue step), {@code device_id} (while a device is issued or registered) and {@code exception} (the stack trace).
 * Run and step come from Spring Batch's own per-thread step and job contexts, so every event logged inside a step is
 * placed without a listener. Message, exception and device id are made inert as in the text log; JSON escapes the
 * rest. Spring Boot's {@code StructuredLogEncoder} instantiates it by class name ({@code keyline-logback-json.xml}).
 */
public final class JsonLogFormatter implements StructuredLogFormatter<ILoggingEvent> {

    /** The MDC key of the device being worked on. */
    static final String DEVICE_ID = "device_id";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Override
    public String format(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        line.put("level", event.getLevel().toString());
        line.put("logger", event.getLoggerName());
        line.put("thread", event.getThreadName());
        StepContext step = StepSynchronizationManager.getContext();
        if (step != null) {
            line.put("run", step.getStepExecution().getJobExecution().getJobInstanceId());
            line.put("execution", step.getStepExecution().getJobExecutionId());
            line.put("step", step.getStepName());
        } else {
            JobContext job = JobSynchronizationManager.getContext();
            if (job != null) {
                line.put("run", job.getJobExecution().getJobInstanceId());
                line.put("execution", job.getJobExecution().getId());
            }
        }
        String device = event.getMDCPropertyMap().get(DEVICE_ID);
        if (device != null) {
            line.put(DEVICE_ID, InertText.of(device));
        }
        line.put("message", InertText.of(event.getFormattedMessage()));
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.put("exception", InertText.keepingLineFeeds(ThrowableProxyUtil.asString(thrown)));
        }
        return JSON.writeValueAsString(line) + "\n";
    }
}
