package dev.keyline.job;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import dev.keyline.error.InvalidSettingException;

/**
 * Where the RabbitMQ broker of a remote run is: {@code amqp://USER@HOST[:PORT][/VHOST]}. Never its password, which
 * comes from {@code KEYLINE_BROKER_PASSWORD} on every machine: this address is kept in the run's job parameters and
 * printed, so a password in it would end up in the database and the logs.
 *
 * @param vhost the virtual host, decoded ({@code /} when the address names none, RabbitMQ's default)
 */
public record BrokerAddress(String user, String host, int port, String vhost) {

    public static final int DEFAULT_PORT = 5672;

    public BrokerAddress {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(vhost, "vhost");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Reads {@code --broker}.
     *
     * @throws InvalidSettingException not an amqp address, or one with a password in it
     */
    public static BrokerAddress parse(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalid(text, "it is not an address (" + e.getReason() + ")");
        }
        if (!"amqp".equalsIgnoreCase(uri.getScheme())) {
            throw invalid(text, "it must start with amqp://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(text, "it names no host");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new InvalidSettingException("--broker", "--broker must not carry a password (arguments show in the process list "
                    + "and the run's settings): give amqp://USER@HOST/VHOST and put the password in "
                    + "KEYLINE_BROKER_PASSWORD");
        }
        String user = userInfo == null || userInfo.isEmpty() ? "guest" : decode(userInfo);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String vhost = path.isEmpty() || path.equals("/") ? "/" : decode(path.substring(1));
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(text, "it must not have a query or a fragment");
        }
        return new BrokerAddress(user, uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), vhost);
    }

    private static InvalidSettingException invalid(String text, String why) {
        return new InvalidSettingException("--broker", "--broker " + text + " is not a RabbitMQ address: " + why
                + "; give amqp://USER@HOST:5672/VHOST");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The address as {@link #parse} reads it back. */
    @Override
    public String toString() {
        String path = vhost.equals("/") ? "/" : "/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8).replace("+", "%20");
        return "amqp://" + URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20") + "@" + host + ":" + port
                + path;
    }
}
