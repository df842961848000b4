package dev.keyline.aws;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The registration configuration a CA carries for just-in-time provisioning: the provisioning template's body and
 * the IAM role AWS IoT assumes to carry it out (RegisterCACertificate's {@code registrationConfig}).
 *
 * @param source where the body came from (a file name), for messages
 */
public record JitpTemplate(String source, String body, String roleArn) {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

    public JitpTemplate {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(roleArn, "roleArn");
        if (body.isBlank()) {
            throw new IllegalArgumentException("the JITP template " + source + " is empty: give a provisioning template");
        }
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            throw new IllegalArgumentException("the JITP role \"" + roleArn + "\" is not an IAM role ARN: write it as "
                    + "arn:aws:iam::<12-digit account>:role/<name> (a role AWS IoT may assume, with AWSIoTThingsRegistration)");
        }
    }

    /** The account the role belongs to: the provisioning role must be in the account the CA is registered in. */
    public String roleAccount() {
        return roleArn.split(":")[4];
    }
}
