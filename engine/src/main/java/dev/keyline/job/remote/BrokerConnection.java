package dev.keyline.job.remote;

import java.util.Map;
import java.util.Optional;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.keyline.error.InvalidSettingException;
import dev.keyline.job.BrokerAddress;

/**
 * A connection to a remote run's RabbitMQ broker, the password read from {@code KEYLINE_BROKER_PASSWORD} (never from
 * an argument or the run's settings). Declares the partition queue it is used with: durable, so requests survive a
 * broker restart, and not exclusive, so every worker of the fleet consumes it.
 */
public final class BrokerConnection implements AutoCloseable {

    public static final String PASSWORD_VARIABLE = "KEYLINE_BROKER_PASSWORD";

    private final BrokerAddress address;
    private final CachingConnectionFactory factory;

    private BrokerConnection(BrokerAddress address, CachingConnectionFactory factory) {
        this.address = address;
        this.factory = factory;
    }

    /**
     * @param environment where the password is looked up ({@link System#getenv()} in the product)
     * @throws InvalidSettingException no password in the environment
     */
    public static BrokerConnection open(BrokerAddress address, Map<String, String> environment, String purpose) {
        String password = Optional.ofNullable(environment.get(PASSWORD_VARIABLE)).filter(p -> !p.isEmpty())
                .orElseThrow(() -> new InvalidSettingException(PASSWORD_VARIABLE, "no broker password: set "
                        + PASSWORD_VARIABLE + " to the password of " + address.user() + " at " + address
                        + " (it is never taken from an argument)"));
        CachingConnectionFactory factory = new CachingConnectionFactory(address.host(), address.port());
        factory.setUsername(address.user());
        factory.setPassword(password);
        factory.setVirtualHost(address.vhost());
        factory.setConnectionNameStrategy(f -> "keyline " + purpose + " " + WorkerIdentity.hostName() + " pid "
                + ProcessHandle.current().pid());
        return new BrokerConnection(address, factory);
    }

    public CachingConnectionFactory factory() {
        return factory;
    }

    public BrokerAddress address() {
        return address;
    }

    /**
     * Declares the queue (idempotent), which also proves the broker answers with these credentials.
     *
     * @throws BrokerUnavailableException the broker cannot be reached or refuses the login
     */
    public void declare(String queue) {
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            admin.declareQueue(new Queue(queue, true, false, false));
        } catch (RuntimeException e) {
            throw new BrokerUnavailableException(address, e);
        }
    }

    @Override
    public void close() {
        factory.destroy();
    }
}
