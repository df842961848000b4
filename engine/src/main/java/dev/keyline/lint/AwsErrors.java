package dev.keyline.lint;

/**
 * The error texts AWS IoT answers for template problems, as reference/aws-iot.md section 5 records them (CloudTrail
 * for RegisterThing and JITP; boto/boto3#2903 for the JSON one). Where AWS's exact wording for a case is not on
 * record, the findings say so rather than invent it.
 */
public final class AwsErrors {

    public static final String INVALID_TEMPLATE = "InvalidRequestException: Invalid registration template";

    private AwsErrors() {
    }

    /** {@code InvalidRequestException: Invalid registration template. Cannot resolve reference value: {Ref=X}}. */
    public static String cannotResolve(String parameter) {
        return INVALID_TEMPLATE + ". Cannot resolve reference value: {Ref=" + parameter + "}";
    }

    /** AWS's answer to a body that does not parse as JSON. */
    public static String notWellFormed() {
        return INVALID_TEMPLATE + ". Template format error: JSON not well-formed.";
    }

    /** For structural problems whose exact AWS wording is not documented. */
    public static String refused(String what) {
        return "AWS IoT refuses the template (" + INVALID_TEMPLATE + "; exact wording for this case not documented): " + what;
    }
}
