package dev.keyline.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds the {@link IotClient} of each target: its region, its endpoint override, its credentials (default chain,
 * named profile, or a role assumed through STS), bounded timeouts, and the SDK's retries switched off because
 * {@link Registrar} retries each call itself under the rate limiter (see {@code PacedCaller}).
 * <p>
 * Owns what it builds: {@link #close()} closes every client and credentials provider. Thread-safe.
 */
public final class IotClients implements AutoCloseable {

    /**
     * @param maxConnections  HTTP connections per client: at least the number of registering threads
     * @param connectTimeout  TCP connect
     * @param attemptTimeout  one HTTP attempt, connect to last byte
     * @param profileFile     the shared config/credentials files that profiles are read from
     */
    public record Settings(int maxConnections, Duration connectTimeout, Duration attemptTimeout, Supplier<ProfileFile> profileFile) {
        public Settings {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
            }
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(attemptTimeout, "attemptTimeout");
            Objects.requireNonNull(profileFile, "profileFile");
        }

        /** A few connections for the bulk registration task's calls: one task is followed at a time. */
        public static Settings forRegistrationTasks() {
            return new Settings(4, Duration.ofSeconds(5), Duration.ofSeconds(30), ProfileFile::defaultProfileFile);
        }

        /** 50 connections, 5 s to connect, 30 s per attempt, the default ~/.aws files. */
        public static Settings defaults() {
            return new Settings(50, Duration.ofSeconds(5), Duration.ofSeconds(30), ProfileFile::defaultProfileFile);
        }
    }

    private final Settings settings;
    private final List<AutoCloseable> owned = new ArrayList<>();

    public IotClients() {
        this(Settings.defaults());
    }

    public IotClients(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A client for the target with the credentials the target names. */
    public IotClient client(RegistrationTarget target) {
        return client(target, credentials(target));
    }

    /**
     * A client for the few calls that manage the target's CA registration ({@code keyline ca ...}), with the SDK's
     * standard retries (3 attempts, jittered backoff) instead of {@link PacedCaller}: a handful of calls per account
     * needs no shared rate limiter, only to ride out a throttle or a 5xx.
     */
    public IotClient adminClient(RegistrationTarget target) {
        return client(target, credentials(target), AwsRetryStrategy.standardRetryStrategy());
    }

    /** {@link #adminClient(RegistrationTarget)} with the given credentials (tests and emulators: static keys). */
    public IotClient adminClient(RegistrationTarget target, AwsCredentialsProvider credentials) {
        return client(target, credentials, AwsRetryStrategy.standardRetryStrategy());
    }

    /**
     * An S3 client for a bulk-task target's input files: the target's region and credentials, the SDK's standard
     * retries. With an endpoint override (an emulator, or an S3-compatible store) requests are path-style
     * ({@code endpoint/bucket/key}), since such an endpoint has no per-bucket host names; AWS's own S3 gets
     * virtual-hosted requests, which it prefers.
     */
    public synchronized S3Client s3Client(RegistrationTarget target) {
        Objects.requireNonNull(target, "target");
        var builder = S3Client.builder()
                .region(Region.of(target.region()))
                .credentialsProvider(credentials(target))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(4)
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.attemptTimeout()))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()));
        target.endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        S3Client client = builder.build();
        owned.add(client);
        return client;
    }

    /**
     * The 12-digit account the target's credentials act in, from STS GetCallerIdentity (sent to the target's
     * endpoint override when it has one, as AssumeRole is).
     */
    public String callerAccount(RegistrationTarget target) {
        StsClient sts = stsClient(target, credentials(target));
        try {
            return sts.getCallerIdentity(r -> { }).account();
        } catch (SdkException e) {
            AwsError error = AwsError.of(e);
            throw new CaRegistrationException("target " + target.name() + ": STS GetCallerIdentity could not tell its account ("
                    + error.code() + ": " + error.message() + "): check its credentials, or name the account with "
                    + TargetConfiguration.PREFIX + target.name() + ".account-id", null, e);
        }
    }

    /** A client for the target with the given credentials (tests and emulators: static keys). */
    public IotClient client(RegistrationTarget target, AwsCredentialsProvider credentials) {
        return client(target, credentials, AwsRetryStrategy.doNotRetry());
    }

    private synchronized IotClient client(RegistrationTarget target, AwsCredentialsProvider credentials,
                                          RetryStrategy retryStrategy) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(credentials, "credentials");
        var builder = IotClient.builder()
                .region(Region.of(target.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.maxConnections())
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.attemptTimeout())
                        .connectionAcquisitionTimeout(settings.attemptTimeout()))
                .overrideConfiguration(o -> o
                        .retryStrategy(retryStrategy)
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .apiCallTimeout(settings.attemptTimeout().plus(settings.connectTimeout())));
        target.endpoint().ifPresent(builder::endpointOverride);
        IotClient client = builder.build();
        owned.add(client);
        return client;
    }

    /** The credentials provider a target names; resolved lazily, on the first call that needs credentials. */
    public synchronized AwsCredentialsProvider credentials(RegistrationTarget target) {
        TargetCredentials source = target.credentials();
        AwsCredentialsProvider provider;
        if (source instanceof TargetCredentials.Profile profile) {
            provider = profile(profile.name());
        } else if (source instanceof TargetCredentials.AssumeRole role) {
            AwsCredentialsProvider caller = role.sourceProfile().map(this::profile).orElseGet(this::defaultChain);
            StsClient stsClient = stsClient(target, caller);
            provider = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(stsClient)
                    .refreshRequest(r -> r.roleArn(role.roleArn()).roleSessionName("keyline-" + target.name()))
                    .build();
        } else {
            provider = defaultChain();
        }
        if (provider instanceof AutoCloseable closeable) {
            owned.add(closeable);
        }
        return provider;
    }

    private synchronized StsClient stsClient(RegistrationTarget target, AwsCredentialsProvider credentials) {
        var sts = StsClient.builder()
                .region(Region.of(target.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(settings.connectTimeout())
                        .socketTimeout(settings.attemptTimeout()));
        target.endpoint().ifPresent(sts::endpointOverride); // an emulator serves STS on the same endpoint
        StsClient stsClient = sts.build();
        owned.add(stsClient);
        return stsClient;
    }

    private AwsCredentialsProvider profile(String name) {
        return ProfileCredentialsProvider.builder().profileFile(settings.profileFile()).profileName(name).build();
    }

    private AwsCredentialsProvider defaultChain() {
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing an AWS client failed", e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (first != null) {
            throw first;
        }
    }
}
