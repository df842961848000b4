package dev.keyline.job.remote;

import dev.keyline.error.KeylineException;
import dev.keyline.job.BrokerAddress;

/** The broker of a remote run cannot be reached, or refuses the login. */
public final class BrokerUnavailableException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public BrokerUnavailableException(BrokerAddress address, Throwable cause) {
        super(Kind.TRANSIENT, "cannot reach the broker at " + address + ": " + rootMessage(cause)
                + " (is RabbitMQ running there, and is KEYLINE_BROKER_PASSWORD the password of " + address.user() + "?)",
                cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
