package dev.keyline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.keyline.cli.Keyline;

/**
 * A remote run's parts on this machine, for the scale-out tests: a PostgreSQL schema of its own, a RabbitMQ queue of
 * its own, a CA, and the manager and workers as child JVMs (what only separate processes show: kill -9, SIGTERM).
 * Closing it kills every child it started, deletes the queue and drops the schema, so a test leaves nothing behind.
 */
public final class RemoteFleet implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String BROKER = "amqp://guest@127.0.0.1:5672/";

    private final Path dir;
    private final String schema;
    private final String queue;
    private final Path ca;
    private final Path passphrase;
    private final List<ChildKeyline> children = new ArrayList<>();

    private RemoteFleet(Path dir, String schema, String queue, Path ca, Path passphrase) {
        this.dir = dir;
        this.schema = schema;
        this.queue = queue;
        this.ca = ca;
        this.passphrase = passphrase;
    }

    public static RemoteFleet create(Path dir) throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String schema = "keyline_remote_" + id;
        try (Connection c = DriverManager.getConnection(SERVER)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        Path passphrase = Files.writeString(dir.resolve("ca-pass.txt"), "remote-fleet\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Fleet Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        return new RemoteFleet(dir, schema, "keyline.test." + id, ca, passphrase);
    }

    public String db() {
        return SERVER + "&currentSchema=" + schema;
    }

    public String queue() {
        return queue;
    }

    public Path ca() {
        return ca;
    }

    public Path passphrase() {
        return passphrase;
    }

    /** Starts {@code keyline worker NAME} with {@code threads} threads and waits until it takes from the queue. */
    public ChildKeyline worker(String name, int threads) throws Exception {
        ChildKeyline worker = start(name, "worker", "--db", db(), "--broker", BROKER, "--queue", queue,
                "--threads", Integer.toString(threads), "--name", name, "--log", dir.resolve(name + ".log").toString(),
                "--passphrase-file", passphrase.toString());
        await(Duration.ofSeconds(90), name + " takes from the queue", () -> {
            if (!worker.alive()) {
                throw new AssertionError(name + " ended: " + worker.output());
            }
            return worker.output().contains("taking partitions from queue");
        });
        return worker;
    }

    /** Starts {@code keyline run MANIFEST --workers remote} into {@code out}, with this fleet's database and queue. */
    public ChildKeyline manager(String name, Path manifest, Path out, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--ca", ca.toString(), "--out",
                out.toString(), "--db", db(), "--workers", "remote", "--broker", BROKER, "--queue", queue,
                "--passphrase-file", passphrase.toString(), "--no-progress"));
        args.addAll(List.of(options));
        return start(name, args.toArray(String[]::new));
    }

    /** Starts {@code keyline restart --out OUT} (the manager again). */
    public ChildKeyline restart(String name, Path out) throws IOException {
        return start(name, "restart", "--out", out.toString(), "--passphrase-file", passphrase.toString(),
                "--no-progress");
    }

    private ChildKeyline start(String name, String... args) throws IOException {
        ChildKeyline child = ChildKeyline.start(dir.resolve(name + ".out"), List.of("-Xmx256m"),
                Map.of("KEYLINE_BROKER_PASSWORD", "guest"), args);
        children.add(child);
        return child;
    }

    /** The output's ledger: device id → certificate id (the SHA-256 of its certificate). */
    public Map<String, String> certificateIds(Path out) throws SQLException, IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        try (Connection c = connection();
             PreparedStatement s = c.prepareStatement("SELECT device_id, certificate_id FROM device_identity"
                     + " WHERE output_id = ? ORDER BY device_id")) {
            s.setString(1, outputId(out));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (ids.put(rs.getString(1), rs.getString(2)) != null) {
                        throw new AssertionError("device " + rs.getString(1) + " is in the ledger twice");
                    }
                }
            }
        }
        return ids;
    }

    public static String outputId(Path out) throws IOException {
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(out.resolve(".keyline/output.properties"))) {
            settings.load(in);
        }
        return settings.getProperty("output-id");
    }

    /** One number from the fleet's schema. */
    public long count(String sql) throws SQLException {
        try (Connection c = connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Requests waiting in the fleet's queue. */
    public long queueDepth() {
        CachingConnectionFactory factory = guest();
        try {
            java.util.Properties properties = new RabbitAdmin(factory).getQueueProperties(queue);
            return properties == null ? 0 : ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
        } finally {
            factory.destroy();
        }
    }

    private static CachingConnectionFactory guest() {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        return factory;
    }

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(db());
    }

    /** Waits for a state, checked every 100 ms; fails naming it after {@code max}. */
    public static void await(Duration max, String state, Callable<Boolean> reached) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (!reached.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + max.toSeconds() + " s: " + state);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws SQLException {
        for (ChildKeyline child : children) {
            child.kill();
        }
        for (ChildKeyline child : children) {
            try {
                child.process().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        CachingConnectionFactory factory = guest();
        try {
            new RabbitAdmin(factory).deleteQueue(queue);
        } finally {
            factory.destroy();
        }
        try (Connection c = DriverManager.getConnection(SERVER)) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
