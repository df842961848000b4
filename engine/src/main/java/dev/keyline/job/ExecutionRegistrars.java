package dev.keyline.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keyline.aws.IotOperation;
import dev.keyline.aws.Registrar;
import dev.keyline.aws.RegistrationStats;
import dev.keyline.aws.Registrars;
import dev.keyline.ledger.CallCount;

/**
 * The registrars of each execution that registers in this process, opened from the execution's own settings (its
 * targets, their configuration, the CA) when its register step first has a device to register, and closed when the
 * step ends. Like the issuance kit, nothing is handed over by whoever launched the run, so a restart by another
 * process (or another manager) registers with the same targets. AWS credentials come from this process's
 * environment, as the AWS SDK finds them.
 *
 * <p>Thread-safe: the register step's threads share the one set of an execution.
 */
public final class ExecutionRegistrars {

    private static final Logger log = LoggerFactory.getLogger(ExecutionRegistrars.class);

    private final Map<Long, Registrars> open = new HashMap<>();
    private final List<java.util.function.Consumer<Registrar>> openListeners = new ArrayList<>();

    /** Tells of every registrar opened from now on (the metrics count its calls). */
    public synchronized void whenOpened(java.util.function.Consumer<Registrar> listener) {
        openListeners.add(listener);
    }

    /**
     * Opens the registrars of an execution's targets.
     *
     * @param ca the CA folder whose certificate with-CA targets name; empty when the execution kept none
     * @throws IllegalStateException when the execution names no targets, which its reader would not have let through
     */
    public synchronized Registrars open(long executionId, RegistrationRequest request, Optional<Path> ca) {
        Registrars registrars = open.get(executionId);
        if (registrars == null) {
            registrars = RegistrationTargets.open(request, ca).orElseThrow(() -> new IllegalStateException(
                    "execution " + executionId + " has devices to register but names no target"));
            open.put(executionId, registrars);
            for (Registrar registrar : registrars.byTarget().values()) {
                openListeners.forEach(l -> l.accept(registrar));
            }
        }
        return registrars;
    }

    /** Closes the registrars of an execution whose register step ended here; nothing when it opened none. */
    public synchronized void close(long executionId) {
        Registrars registrars = open.remove(executionId);
        if (registrars != null) {
            try {
                registrars.close();
            } catch (RuntimeException e) {
                log.warn("closing the registrars of execution {} failed: {}", executionId, e.getMessage());
            }
        }
    }

    /** The registrars this process opened for an execution and has not closed, if any. */
    public synchronized Optional<Registrars> of(long executionId) {
        return Optional.ofNullable(open.get(executionId));
    }

    /**
     * The AWS calls of an execution's registrars so far, per target and operation, for the ledger's
     * {@code registration_call} (written with each chunk); none when this process opened none for it.
     */
    public synchronized List<CallCount> callCounts(long executionId) {
        List<CallCount> counts = new ArrayList<>();
        Registrars opened = open.get(executionId);
        if (opened == null) {
            return counts;
        }
        for (Registrar registrar : opened.byTarget().values()) {
            for (Map.Entry<IotOperation, RegistrationStats.OperationStats> e : registrar.stats().byOperation().entrySet()) {
                RegistrationStats.OperationStats s = e.getValue();
                counts.add(new CallCount(executionId, registrar.target().name(), e.getKey().awsName(), s.calls(),
                        s.throttles(), s.faults(), s.latencyBuckets()));
            }
        }
        return counts;
    }

    /** The registrars at work in this process now, for the progress display's per-call counts. */
    public synchronized List<Registrar> working() {
        List<Registrar> all = new ArrayList<>();
        open.values().forEach(r -> all.addAll(r.byTarget().values()));
        return all;
    }
}
