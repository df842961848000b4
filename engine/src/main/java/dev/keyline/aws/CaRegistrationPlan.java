package dev.keyline.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which account holds the device CA in which mode, per region: AWS IoT lets one account per region register a CA in
 * DEFAULT mode and any number in SNI_ONLY (reference/aws-iot.md section 4). Targets that reach the same account in the
 * same region share one registration.
 * <p>
 * A target's {@code ca-mode} is its wish. Where it has none, the plan chooses: SNI_ONLY when another account of the
 * region asks for DEFAULT; DEFAULT (AWS's default) when it is the only account of the region without a wish and no
 * account asks for DEFAULT; otherwise SNI_ONLY, since picking one of several accounts to own the CA is the operator's
 * decision. A plan that asks for DEFAULT twice in a region, or gives one account two modes or two templates, is
 * refused with {@link CaPlanException}. Immutable.
 */
public final class CaRegistrationPlan {

    /**
     * The registration of the CA in one account and region.
     *
     * @param targets          the configured targets that reach this account in this region (the first one's
     *                         credentials and endpoint are used)
     * @param reason           why this mode, for people
     * @param autoRegistration whether devices register themselves on first connect (JITR, or JITP with a template)
     */
    public record AccountPlan(String region, TargetAccount account, List<RegistrationTarget> targets, CaMode mode,
                              String reason, Optional<JitpTemplate> jitp, boolean autoRegistration) {

        public AccountPlan {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(account, "account");
            targets = List.copyOf(targets);
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(jitp, "jitp");
        }

        /** The target whose credentials and endpoint reach this account. */
        public RegistrationTarget target() {
            return targets.get(0);
        }

        public String accountId() {
            return account.accountId();
        }

        public List<String> targetNames() {
            return targets.stream().map(RegistrationTarget::name).toList();
        }

        /** {@code account 111111111111 in eu-west-1 (targets dev, dev2)}. */
        public String describeWhere() {
            return "account " + accountId() + " in " + region + " (target" + (targets.size() > 1 ? "s " : " ")
                    + String.join(", ", targetNames()) + ")";
        }
    }

    private final List<AccountPlan> accounts;

    private CaRegistrationPlan(List<AccountPlan> accounts) {
        this.accounts = List.copyOf(accounts);
    }

    /**
     * Plans the registration of every target's account.
     *
     * @param targets each target with its account, in the order to report them
     * @throws CaPlanException listing every conflict
     */
    public static CaRegistrationPlan of(Map<RegistrationTarget, TargetAccount> targets) {
        // region -> account -> the targets reaching it
        Map<String, Map<String, List<RegistrationTarget>>> byRegion = new TreeMap<>();
        Map<String, TargetAccount> accountOf = new LinkedHashMap<>();
        targets.forEach((target, account) -> {
            byRegion.computeIfAbsent(target.region(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(account.accountId(), a -> new ArrayList<>()).add(target);
            accountOf.putIfAbsent(target.region() + "|" + account.accountId(), account);
        });
        List<String> conflicts = new ArrayList<>();
        List<AccountPlan> planned = new ArrayList<>();
        byRegion.forEach((region, accounts) -> {
            Map<String, Optional<CaMode>> wishes = new LinkedHashMap<>();
            accounts.forEach((account, reaching) -> wishes.put(account, wish(region, account, reaching, conflicts)));
            List<String> askingDefault = wishes.entrySet().stream()
                    .filter(e -> e.getValue().equals(Optional.of(CaMode.DEFAULT))).map(Map.Entry::getKey).toList();
            if (askingDefault.size() > 1) {
                StringBuilder who = new StringBuilder();
                for (String account : askingDefault) {
                    who.append(who.length() == 0 ? "" : " and ").append("account ").append(account).append(" (")
                            .append(String.join(", ", accounts.get(account).stream().map(RegistrationTarget::name).toList()))
                            .append(")");
                }
                conflicts.add("region " + region + ": " + who + " both ask for DEFAULT; AWS IoT lets one account per region "
                        + "hold a CA in DEFAULT mode: set ca-mode: SNI_ONLY on all but one");
            }
            List<String> undecided = wishes.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
            accounts.forEach((account, reaching) -> {
                Optional<CaMode> wish = wishes.get(account);
                CaMode mode;
                String reason;
                if (wish.isPresent()) {
                    mode = wish.get();
                    reason = "asked (ca-mode)";
                } else if (!askingDefault.isEmpty()) {
                    mode = CaMode.SNI_ONLY;
                    reason = "chosen: account " + askingDefault.get(0) + " asks for DEFAULT in " + region;
                } else if (undecided.size() == 1) {
                    mode = CaMode.DEFAULT;
                    reason = "chosen: the only account of " + region + " without a ca-mode, and none asks for DEFAULT";
                } else {
                    mode = CaMode.SNI_ONLY;
                    reason = "chosen: " + undecided.size() + " accounts of " + region + " have no ca-mode; set ca-mode: "
                            + "DEFAULT on the one that should prove ownership";
                }
                planned.add(new AccountPlan(region, accountOf.get(region + "|" + account), reaching, mode, reason,
                        jitp(region, account, reaching, conflicts),
                        reaching.stream().anyMatch(t -> t.caRegistration().autoRegistration())));
            });
        });
        if (!conflicts.isEmpty()) {
            throw new CaPlanException(conflicts);
        }
        return new CaRegistrationPlan(planned);
    }

    /** The one mode the targets of an account ask for, or none; a conflict when they ask for two. */
    private static Optional<CaMode> wish(String region, String account, List<RegistrationTarget> reaching, List<String> conflicts) {
        List<RegistrationTarget> asking = reaching.stream().filter(t -> t.caRegistration().mode().isPresent()).toList();
        if (asking.stream().map(t -> t.caRegistration().mode().get()).distinct().count() > 1) {
            conflicts.add("account " + account + " in " + region + ": targets " + describeModes(asking) + " ask for two "
                    + "modes, but an account holds one registration of the CA per region: give them the same ca-mode");
            return Optional.empty();
        }
        return asking.isEmpty() ? Optional.empty() : asking.get(0).caRegistration().mode();
    }

    private static String describeModes(List<RegistrationTarget> targets) {
        return String.join(", ", targets.stream().map(t -> t.name() + " (" + t.caRegistration().mode().orElseThrow() + ")").toList());
    }

    /** The one JITP template the targets of an account give, or none; a conflict when they give two. */
    private static Optional<JitpTemplate> jitp(String region, String account, List<RegistrationTarget> reaching,
                                               List<String> conflicts) {
        List<RegistrationTarget> giving = reaching.stream().filter(t -> t.caRegistration().jitp().isPresent()).toList();
        if (giving.isEmpty()) {
            return Optional.empty();
        }
        JitpTemplate first = giving.get(0).caRegistration().jitp().get();
        for (RegistrationTarget other : giving) {
            JitpTemplate t = other.caRegistration().jitp().get();
            if (!t.body().equals(first.body()) || !t.roleArn().equals(first.roleArn())) {
                conflicts.add("account " + account + " in " + region + ": targets " + giving.get(0).name() + " and "
                        + other.name() + " give different JITP templates or roles, but a CA carries one registration config "
                        + "per account: give them the same jitp-template and jitp-role-arn");
                break;
            }
        }
        if (!first.roleAccount().equals(account)) {
            conflicts.add("account " + account + " in " + region + " (target " + giving.get(0).name() + "): the JITP role "
                    + first.roleArn() + " is in account " + first.roleAccount() + "; AWS IoT assumes the provisioning role in "
                    + "the CA's own account: give a role of account " + account);
        }
        return Optional.of(first);
    }

    /** Every account's registration: by region, then in the targets' order. */
    public List<AccountPlan> accounts() {
        return accounts;
    }

    /**
     * The order to carry the plan out in: per region, the SNI_ONLY registrations first, so an account giving up DEFAULT
     * (with --replace) does so before another takes it.
     */
    public List<AccountPlan> applyOrder() {
        return accounts.stream().sorted(Comparator.comparing(AccountPlan::region)
                .thenComparing(a -> a.mode() == CaMode.DEFAULT ? 1 : 0)).toList();
    }

    /** The registration that serves the target of that name. */
    public Optional<AccountPlan> forTarget(String name) {
        return accounts.stream().filter(a -> a.targetNames().contains(name)).findFirst();
    }

    /** The plan for people: per region, each account's mode and why, its template and auto-registration. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        String region = null;
        for (AccountPlan a : accounts) {
            if (!a.region().equals(region)) {
                region = a.region();
                lines.add("region " + region + ":");
            }
            lines.addAll(describe(a));
        }
        return lines;
    }

    /** One account's lines of {@link #describe()}, indented under its region. */
    public static List<String> describe(AccountPlan a) {
        List<String> lines = new ArrayList<>();
        lines.add("  account " + a.accountId() + " (" + a.account().source().label() + "; target"
                + (a.targets().size() > 1 ? "s " : " ") + String.join(", ", a.targetNames()) + "): " + a.mode()
                + " - " + a.reason());
        if (a.jitp().isPresent()) {
            lines.add("    JITP template " + a.jitp().get().source() + ", role " + a.jitp().get().roleArn()
                    + "; auto-registration on");
        } else if (a.autoRegistration()) {
            lines.add("    auto-registration on (JITR: no template)");
        }
        return lines;
    }
}
