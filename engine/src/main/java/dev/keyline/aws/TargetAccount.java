package dev.keyline.aws;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The AWS account a target acts in, and how Keyline knows it: the target's {@code account-id}, else the account in its
 * {@code role-arn}, else what STS GetCallerIdentity answers for its credentials.
 */
public record TargetAccount(String accountId, Source source) {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    /** Where the account id came from, in the words of the configuration. */
    public enum Source {
        ACCOUNT_ID("account-id"),
        ROLE_ARN("role-arn"),
        CALLER_IDENTITY("STS GetCallerIdentity");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public TargetAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(source, "source");
        if (!ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("\"" + accountId + "\" is not a 12-digit AWS account id");
        }
    }

    /** The account from the target's configuration alone, or null when only STS can tell. */
    public static TargetAccount configured(RegistrationTarget target) {
        if (target.accountId().isPresent()) {
            return new TargetAccount(target.accountId().get(), Source.ACCOUNT_ID);
        }
        if (target.credentials() instanceof TargetCredentials.AssumeRole role) {
            return new TargetAccount(role.roleArn().split(":")[4], Source.ROLE_ARN);
        }
        return null;
    }

    /**
     * The target's account: configured, else asked of STS through {@code callerIdentity} (called only then).
     */
    public static TargetAccount of(RegistrationTarget target, Function<RegistrationTarget, String> callerIdentity) {
        TargetAccount configured = configured(target);
        return configured != null ? configured : new TargetAccount(callerIdentity.apply(target), Source.CALLER_IDENTITY);
    }
}
