package dev.keyline.aws;

import static dev.keyline.aws.EmulatorFixture.ACCOUNT_A;
import static dev.keyline.aws.EmulatorFixture.KEY_A;
import static dev.keyline.aws.EmulatorFixture.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keyline.aws.RegistrationOutcome.Registered;
import dev.keyline.aws.emulator.Faults;
import dev.keyline.aws.emulator.IotEmulator;

/**
 * 2,000 devices, 8 threads, 10% throttling, 2% 5xx and 1% lost replies: each registered once, no quota exceeded.
 * Two operations per device (register, attach policy) at 200/s each: on the shared 2-core machine the SDK and
 * the emulator in one JVM serve about 300 registrations/s under load, so at 400/s (or with more operations per
 * device) the machine, not the limiter, would set the pace and the rate assertion would prove nothing.
 * The thing operations are covered by RegistrarTest.
 */
class RegistrarLoadTest {

    private static final int DEVICES = 2_000;
    private static final int THREADS = 8;
    private static final double QUOTA = 200;

    @Test
    void everyDeviceIsRegisteredExactlyOnceAndNoOperationExceedsItsQuota() throws Exception {
        TestIdentities pki = new TestIdentities("/O=Keyline Test/CN=Load Test CA");
        List<DeviceIdentity> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            devices.add(pki.device(String.format("load-%05d", i)));
        }
        Faults faults = new Faults(0.10, 0.02, 0.01, Faults.LostReply.CLOSE_CONNECTION);
        try (IotEmulator emulator = EmulatorFixture.emulator().faults(faults).seed(20261124).start();
                IotClients clients = EmulatorFixture.clients()) {
            RegistrationTarget target = EmulatorFixture.target("load", emulator.endpoint())
                    .policyName(POLICY).allQuotas(QUOTA).build();
            // 10 attempts: with 13% of calls failing, a call fails 10 times in a row about once in 10^9.
            RetryPolicy retries = new RetryPolicy(10, new ExponentialJitterBackoff(
                    Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofMillis(1), new Random(5)));
            Registrar registrar = new Registrar(target, clients.client(target, EmulatorFixture.keys(KEY_A)),
                    OperationLimits.of(target), retries);

            Map<String, RegistrationOutcome> outcomes = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int first = t;
                    futures.add(pool.submit(() -> {
                        for (int i = first; i < DEVICES; i += THREADS) {
                            DeviceIdentity device = devices.get(i);
                            outcomes.put(device.deviceId(), registrar.register(device));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(outcomes).hasSize(DEVICES);
            assertThat(outcomes.values()).allSatisfy(o -> assertThat(o).isInstanceOf(Registered.class));
            assertThat(emulator.certificateCount(ACCOUNT_A)).isEqualTo(DEVICES);
            assertThat(emulator.successfulRegistrations()).isEqualTo(DEVICES);
            for (DeviceIdentity device : devices) {
                assertThat(emulator.policiesOf(ACCOUNT_A, ((Registered) outcomes.get(device.deviceId())).certificateArn()))
                        .containsExactly(POLICY);
            }
            var stats = registrar.stats().snapshot();
            assertThat(stats.throttled()).as("injected throttling was seen").isGreaterThan(DEVICES / 10);
            assertThat(stats.faults()).as("injected 5xx and lost replies were seen").isGreaterThan(DEVICES / 50);
            assertThat(emulator.lostReplies()).isPositive();
            for (String operation : List.of("RegisterCertificateWithoutCA", "AttachPolicy")) {
                assertThat(emulator.requests().maxPerSecond(operation))
                        .as("busiest second of %s: %s", operation, emulator.requests().perSecond(operation))
                        .isLessThanOrEqualTo((int) (QUOTA * 1.05))
                        .isGreaterThan((int) (QUOTA * 0.5)); // the limiter, not the test machine, set the pace
            }
            System.out.printf("load: %s, lost replies %d, busiest seconds %s%n", stats, emulator.lostReplies(),
                    emulator.requests().perSecond("RegisterCertificateWithoutCA"));
        }
    }
}
