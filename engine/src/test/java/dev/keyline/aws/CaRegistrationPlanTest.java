package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.keyline.aws.CaRegistrationPlan.AccountPlan;

/** The plan's rules, from configuration alone (accounts given, nothing called). */
class CaRegistrationPlanTest {

    private static final String EU = "eu-west-1";
    private static final String US = "us-east-1";

    private final Map<RegistrationTarget, TargetAccount> targets = new LinkedHashMap<>();

    private void target(String name, String region, String account, CaMode mode) {
        RegistrationTarget t = RegistrationTarget.builder(name, region)
                .caRegistration(new CaRegistrationSettings(Optional.ofNullable(mode), Optional.empty(), false)).build();
        targets.put(t, new TargetAccount(account, TargetAccount.Source.ACCOUNT_ID));
    }

    private CaMode modeOf(CaRegistrationPlan plan, String target) {
        return plan.forTarget(target).map(AccountPlan::mode).orElseThrow();
    }

    @Test
    void theOnlyAccountOfARegionGetsDefaultAndTheOthersWhereOneAsksForDefaultGetSniOnly() {
        target("dev", EU, "111111111111", null);
        target("staging", EU, "222222222222", CaMode.SNI_ONLY);
        target("prod", EU, "333333333333", CaMode.DEFAULT);
        target("prod-us", US, "333333333333", null);

        CaRegistrationPlan plan = CaRegistrationPlan.of(targets);

        assertThat(modeOf(plan, "dev")).isEqualTo(CaMode.SNI_ONLY);
        assertThat(plan.forTarget("dev").orElseThrow().reason()).contains("account 333333333333 asks for DEFAULT");
        assertThat(modeOf(plan, "staging")).isEqualTo(CaMode.SNI_ONLY);
        assertThat(modeOf(plan, "prod")).isEqualTo(CaMode.DEFAULT);
        assertThat(modeOf(plan, "prod-us")).isEqualTo(CaMode.DEFAULT);
        assertThat(plan.describe()).containsSubsequence("region eu-west-1:",
                "  account 111111111111 (account-id; target dev): SNI_ONLY - chosen: account 333333333333 asks for DEFAULT in eu-west-1",
                "region us-east-1:");
    }

    @Test
    void theOneAccountWithoutAWishGetsDefaultWhenTheOthersAskForSniOnly() {
        target("dev", EU, "111111111111", CaMode.SNI_ONLY);
        target("prod", EU, "333333333333", null);

        assertThat(modeOf(CaRegistrationPlan.of(targets), "prod")).isEqualTo(CaMode.DEFAULT);
    }

    @Test
    void severalAccountsWithoutAWishAllGetSniOnlyAndTheReasonSaysHowToChoose() {
        target("a", EU, "111111111111", null);
        target("b", EU, "222222222222", null);

        CaRegistrationPlan plan = CaRegistrationPlan.of(targets);

        assertThat(plan.accounts()).extracting(AccountPlan::mode).containsOnly(CaMode.SNI_ONLY);
        assertThat(plan.forTarget("a").orElseThrow().reason()).contains("set ca-mode: DEFAULT on the one");
    }

    @Test
    void targetsOfOneAccountShareOneRegistration() {
        target("line-1", EU, "111111111111", CaMode.SNI_ONLY);
        target("line-2", EU, "111111111111", null);

        CaRegistrationPlan plan = CaRegistrationPlan.of(targets);

        assertThat(plan.accounts()).singleElement().satisfies(a -> {
            assertThat(a.targetNames()).containsExactly("line-1", "line-2");
            assertThat(a.mode()).isEqualTo(CaMode.SNI_ONLY);
        });
    }

    @Test
    void defaultTwiceInARegionIsRefusedNamingBothAccountsAndTheirTargets() {
        target("prod", EU, "333333333333", CaMode.DEFAULT);
        target("staging", EU, "222222222222", CaMode.DEFAULT);
        target("prod-us", US, "333333333333", CaMode.DEFAULT);

        assertThatThrownBy(() -> CaRegistrationPlan.of(targets)).isInstanceOfSatisfying(CaPlanException.class, e ->
                assertThat(e.conflicts()).singleElement().satisfies(c -> assertThat(c)
                        .contains("region eu-west-1").contains("account 333333333333 (prod)").contains("account 222222222222 (staging)")
                        .contains("set ca-mode: SNI_ONLY on all but one")));
    }

    @Test
    void oneAccountAskedForTwoModesIsRefused() {
        target("a", EU, "111111111111", CaMode.SNI_ONLY);
        target("b", EU, "111111111111", CaMode.DEFAULT);

        assertThatThrownBy(() -> CaRegistrationPlan.of(targets)).isInstanceOf(CaPlanException.class)
                .hasMessageContaining("a (SNI_ONLY), b (DEFAULT) ask for two modes");
    }

    @Test
    void aJitpRoleOfAnotherAccountIsRefused() {
        RegistrationTarget t = RegistrationTarget.builder("prod", EU).caRegistration(new CaRegistrationSettings(Optional.empty(),
                Optional.of(new JitpTemplate("jitp.json", "{}", "arn:aws:iam::999999999999:role/jitp")), false)).build();
        targets.put(t, new TargetAccount("333333333333", TargetAccount.Source.CALLER_IDENTITY));

        assertThatThrownBy(() -> CaRegistrationPlan.of(targets)).isInstanceOf(CaPlanException.class)
                .hasMessageContaining("role arn:aws:iam::999999999999:role/jitp is in account 999999999999");
        assertThatThrownBy(() -> RegistrationTarget.builder("prod", EU).accountId("333333333333").caRegistration(t.caRegistration()).build())
                .as("caught at configuration when the account is configured").hasMessageContaining("jitp-role-arn is in account 999999999999");
    }

    @Test
    void sniOnlyRegistrationsAreAppliedBeforeDefaultInEachRegion() {
        target("prod", EU, "333333333333", CaMode.DEFAULT);
        target("dev", EU, "111111111111", null);

        assertThat(CaRegistrationPlan.of(targets).applyOrder()).extracting(AccountPlan::mode)
                .containsExactly(CaMode.SNI_ONLY, CaMode.DEFAULT);
    }

    @Test
    void anAccountIdThatContradictsTheRoleArnIsAConfigurationError() {
        assertThatThrownBy(() -> RegistrationTarget.builder("x", EU).accountId("111111111111")
                .credentials(TargetCredentials.assumeRole("arn:aws:iam::222222222222:role/r")).build())
                .hasMessageContaining("account-id 111111111111 does not match role-arn");
    }
}
