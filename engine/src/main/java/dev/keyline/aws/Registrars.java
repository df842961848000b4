package dev.keyline.aws;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The {@link Registrar}s of one registration run, one per target, with the AWS clients they use; closing it closes
 * the clients. Building it calls nothing: credentials are resolved on the first call. Thread-safe once built.
 */
public final class Registrars implements AutoCloseable {

    private final IotClients clients;
    private final Map<String, Registrar> registrars;

    private Registrars(IotClients clients, Map<String, Registrar> registrars) {
        this.clients = clients;
        this.registrars = Collections.unmodifiableMap(registrars);
    }

    /**
     * @param threads the registering threads: each target's HTTP pool gets a connection per thread
     */
    public static Registrars open(Iterable<RegistrationTarget> targets, int threads, RetryPolicy retryPolicy) {
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        IotClients clients = new IotClients(new IotClients.Settings(Math.max(threads, 1) + 2, Duration.ofSeconds(5),
                Duration.ofSeconds(30), ProfileFile::defaultProfileFile));
        Map<String, Registrar> registrars = new LinkedHashMap<>();
        try {
            for (RegistrationTarget target : targets) {
                registrars.put(target.name(), new Registrar(target, clients.client(target), OperationLimits.of(target), retryPolicy));
            }
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
        return new Registrars(clients, registrars);
    }

    /** Target name to its registrar, in configuration order. */
    public Map<String, Registrar> byTarget() {
        return registrars;
    }

    public Registrar get(String target) {
        Registrar registrar = registrars.get(target);
        if (registrar == null) {
            throw new IllegalArgumentException("no registration target " + target + " in this run; it has " + registrars.keySet());
        }
        return registrar;
    }

    @Override
    public void close() {
        clients.close();
    }
}
