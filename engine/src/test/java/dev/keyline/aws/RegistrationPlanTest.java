package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RegistrationPlanTest {

    private static final String TEMPLATE = """
            {"Parameters": {"ThingName": {"Type": "String"}}, "Resources": {}}
            """;

    @Test
    void countsEveryCallOfEveryOperationAndIsPacedByTheSlowestQuota() {
        RegistrationTarget target = RegistrationTarget.builder("plant", "eu-west-1").createThing(true).policyName("p").build();

        RegistrationPlan plan = RegistrationPlan.of(Map.of(target, 3_000L));

        RegistrationPlan.TargetPlan t = plan.targets().get(0);
        assertThat(t.calls()).containsExactlyInAnyOrderEntriesOf(Map.of(
                IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA, 3_000L, IotOperation.CREATE_THING, 3_000L,
                IotOperation.LIST_THING_PRINCIPALS, 3_000L, IotOperation.ATTACH_THING_PRINCIPAL, 3_000L,
                IotOperation.ATTACH_POLICY, 3_000L));
        // RegisterCertificateWithoutCA at 10/s is slower than AttachPolicy at 15/s: 3,000 / 10 = 300 s.
        assertThat(t.bottleneck()).isEqualTo(IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA);
        assertThat(t.duration()).isEqualTo(Duration.ofSeconds(300));
        assertThat(t.recommendations()).isEmpty();
        assertThat(plan.expectedDuration()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void raisedQuotaMovesTheBottleneck() {
        RegistrationTarget target = RegistrationTarget.builder("plant", "eu-west-1").policyName("p")
                .quota(IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA, 50).build();

        RegistrationPlan.TargetPlan t = RegistrationPlan.of(Map.of(target, 1_500L)).targets().get(0);

        assertThat(t.bottleneck()).isEqualTo(IotOperation.ATTACH_POLICY);
        assertThat(t.duration()).isEqualTo(Duration.ofSeconds(100));
    }

    @Test
    void targetsRunSideBySideSoTheLongestSetsTheDuration() {
        Map<RegistrationTarget, Long> pending = new LinkedHashMap<>();
        pending.put(RegistrationTarget.builder("a", "eu-west-1").build(), 100L);
        pending.put(RegistrationTarget.builder("b", "us-east-1").mode(RegistrationMode.TEMPLATE).templateBody(TEMPLATE).build(), 600L);

        RegistrationPlan plan = RegistrationPlan.of(pending);

        assertThat(plan.targets()).extracting(RegistrationPlan.TargetPlan::duration)
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertThat(plan.targets().get(1).calls()).containsExactlyEntriesOf(Map.of(IotOperation.REGISTER_THING, 600L));
        assertThat(plan.expectedDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(plan.describe()).contains("target b (template): 600 devices, about 1m 00s, paced by RegisterThing",
                "  RegisterThing: 600 calls");
    }

    @Test
    void recommendsTheBulkTaskPastFifteenMinutesAndJitpPastAnHour() {
        RegistrationTarget target = RegistrationTarget.builder("plant", "eu-west-1").build();

        assertThat(RegistrationPlan.of(Map.of(target, 9_000L)).targets().get(0).recommendations()).isEmpty(); // exactly 15 min
        assertThat(RegistrationPlan.of(Map.of(target, 9_010L)).targets().get(0).recommendations())
                .singleElement().asString().startsWith("the bulk registration task");
        assertThat(RegistrationPlan.of(Map.of(target, 50_000L)).targets().get(0).recommendations())
                .hasSize(2).first().asString().startsWith("JITP would be faster: 50,000 devices take 1h 23m 20s")
                .contains("as SNI_ONLY");
    }

    @Test
    void nothingPendingCostsNothing() {
        RegistrationPlan plan = RegistrationPlan.of(Map.of(RegistrationTarget.builder("a", "eu-west-1").build(), 0L));

        assertThat(plan.expectedDuration()).isZero();
        assertThat(plan.targets().get(0).recommendations()).isEmpty();
    }

    private static RegistrationTarget bulkTarget(String name, String account, int maxLines) {
        return RegistrationTarget.builder(name, "eu-west-1").mode(RegistrationMode.BULK_TASK).templateBody(TEMPLATE)
                .bulk(new BulkSettings("keyline-bulk", "", "arn:aws:iam::" + account + ":role/bulk", maxLines,
                        Duration.ofSeconds(5), 100)).build();
    }

    @Test
    void bulkTaskPlansConsecutiveTasksOfMaxLinesAndTasksOfOneAccountAddUp() {
        Map<RegistrationTarget, Long> pending = new LinkedHashMap<>();
        pending.put(bulkTarget("east", "111111111111", 50_000), 120_000L);
        pending.put(bulkTarget("west", "111111111111", 50_000), 30_000L);
        pending.put(bulkTarget("other", "222222222222", 50_000), 100_000L);

        RegistrationPlan plan = RegistrationPlan.of(pending);

        RegistrationPlan.TargetPlan east = plan.targets().get(0);
        assertThat(east.tasks()).containsExactly(50_000L, 50_000L, 20_000L);
        assertThat(east.calls()).containsExactlyEntriesOf(Map.of(IotOperation.START_THING_REGISTRATION_TASK, 3L));
        assertThat(east.duration()).isEqualTo(Duration.ofSeconds(1_200)); // 120,000 lines at 100 lines/s
        // east and west share account 1111...: 1,200 s + 300 s one after the other; the other account's 1,000 s alongside.
        assertThat(plan.expectedDuration()).isEqualTo(Duration.ofSeconds(1_500));
        assertThat(plan.describe()).contains("target east (bulk-task): 120,000 devices, about 20m 00s",
                "  task 1 of 3: 50,000 devices, about 8m 20s", "  task 3 of 3: 20,000 devices, about 3m 20s");
    }
}
