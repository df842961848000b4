package dev.keyline.job;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a run's issue step runs: on this process's threads, or on {@code keyline worker} processes that take its
 * partitions from a RabbitMQ queue and share its database. Kept with the run's settings, so a restart runs where the
 * run ran.
 */
public sealed interface Placement permits Placement.Local, Placement.Remote {

    Placement LOCAL = new Local();

    /** The issue step's partitions run on this process's threads, one per thread. */
    record Local() implements Placement {
    }

    /**
     * The issue step's partitions go to workers.
     *
     * @param queue         the queue requests go to; workers of another fleet use another
     * @param partitions    how many ranges the manifest is split into; 0: chosen at the start from the workers alive
     *                      (several per worker thread, see {@code RemotePartitions})
     * @param workerTimeout how long a worker may stay silent (no heartbeat) before its partition counts as lost; also
     *                      how long a run waits for a first worker
     * @param autoRestart   how many times the manager restarts the run itself after partitions were lost
     */
    record Remote(BrokerAddress broker, String queue, int partitions, Duration workerTimeout, int autoRestart)
            implements Placement {

        /** Short enough to notice a dead worker quickly, long enough for several missed heartbeats. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
        /** The heartbeat's period is a third of the shortest timeout: two beats may go missing before it counts. */
        public static final Duration MINIMUM_TIMEOUT = Duration.ofSeconds(6);
        public static final String DEFAULT_QUEUE = "keyline.partitions";
        private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

        public Remote {
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(workerTimeout, "workerTimeout");
            if (!QUEUE.matcher(queue).matches()) {
                throw new IllegalArgumentException("a queue name is 1 to 200 of A-Z a-z 0-9 . _ : -, not " + queue);
            }
            if (partitions < 0 || autoRestart < 0) {
                throw new IllegalArgumentException("partitions and auto-restart are at least 0");
            }
            if (workerTimeout.compareTo(MINIMUM_TIMEOUT) < 0) {
                throw new IllegalArgumentException("the worker timeout is at least " + MINIMUM_TIMEOUT.toSeconds() + "s");
            }
        }

        public static boolean validQueue(String queue) {
            return QUEUE.matcher(queue).matches();
        }
    }

    /** As the run's job parameter keeps it: {@code local}, or {@code remote} and its settings. */
    static String encode(Placement placement) {
        if (placement instanceof Remote r) {
            return "remote broker=" + r.broker() + " queue=" + r.queue() + " partitions=" + r.partitions()
                    + " worker-timeout=" + r.workerTimeout().toMillis() + " auto-restart=" + r.autoRestart();
        }
        return "local";
    }

    static Placement decode(String text) {
        if (text.equals("local")) {
            return LOCAL;
        }
        String[] words = text.split(" ");
        if (!words[0].equals("remote")) {
            throw new IllegalStateException("the run's workers setting is neither local nor remote: " + text);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            String[] pair = words[i].split("=", 2);
            values.put(pair[0], pair.length == 2 ? pair[1] : "");
        }
        return new Remote(BrokerAddress.parse(values.get("broker")), values.get("queue"),
                Integer.parseInt(values.get("partitions")), Duration.ofMillis(Long.parseLong(values.get("worker-timeout"))),
                Integer.parseInt(values.get("auto-restart")));
    }
}
