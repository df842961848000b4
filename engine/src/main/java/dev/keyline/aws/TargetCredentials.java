package dev.keyline.aws;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a target's AWS credentials come from. Secrets never appear here: the default chain reads the environment,
 * the shared files or the instance role; a profile names an entry in the shared files; a role is assumed through
 * STS with the default chain's (or the named profile's) credentials.
 */
public sealed interface TargetCredentials {

    /** The AWS SDK's default provider chain. */
    record DefaultChain() implements TargetCredentials {
    }

    /** A named profile of {@code ~/.aws/credentials} / {@code ~/.aws/config}. */
    record Profile(String name) implements TargetCredentials {
        public Profile {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("the credentials profile name is empty: name a profile of ~/.aws/config or leave it out");
            }
        }
    }

    /** An IAM role assumed through STS; the caller's own credentials come from {@code sourceProfile} or the chain. */
    record AssumeRole(String roleArn, Optional<String> sourceProfile) implements TargetCredentials {

        private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

        public AssumeRole {
            Objects.requireNonNull(roleArn, "roleArn");
            Objects.requireNonNull(sourceProfile, "sourceProfile");
            if (!ROLE_ARN.matcher(roleArn).matches()) {
                throw new IllegalArgumentException("role-arn \"" + roleArn
                        + "\" is not an IAM role ARN: write it as arn:aws:iam::<12-digit account>:role/<name>");
            }
        }
    }

    static TargetCredentials defaultChain() {
        return new DefaultChain();
    }

    static TargetCredentials profile(String name) {
        return new Profile(name);
    }

    static TargetCredentials assumeRole(String roleArn) {
        return new AssumeRole(roleArn, Optional.empty());
    }
}
