package dev.keyline.job.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.UUID;

/**
 * One {@code keyline worker} process, as the manager and {@code keyline status} see it.
 *
 * @param id      unique per process start (a restarted worker is another worker)
 * @param name    {@code --name}, else the host name
 * @param threads how many partitions it runs at once
 * @param queue   the queue it takes partitions from
 */
public record WorkerIdentity(String id, String name, String host, long pid, int threads, String queue) {

    public WorkerIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(queue, "queue");
    }

    /** This process. */
    public static WorkerIdentity ofThisProcess(String name, int threads, String queue) {
        String host = hostName();
        return new WorkerIdentity(UUID.randomUUID().toString(), name == null || name.isBlank() ? host : name, host,
                ProcessHandle.current().pid(), threads, queue);
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }

    /** How the worker is named in messages: {@code name (host, pid N)}. */
    public String describe() {
        return name.equals(host) ? host + " (pid " + pid + ")" : name + " (" + host + ", pid " + pid + ")";
    }
}
