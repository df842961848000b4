package dev.keyline.aws;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One line of a bulk registration task's RESULTS or ERRORS report, reduced to what names its device and its outcome.
 * <p>
 * An ERRORS line, as AWS writes it: {@code {"errorMessage":"...","lineNumber":1,"offset":70,"response":null}}.
 * {@code lineNumber} counts input lines from 1: a public ERRORS report of a ten-line input names lines 1 to 10.
 * {@code offset} is not used: in that report it did not match the input's line lengths. A RESULTS line is
 * UNCONFIRMED (no real one was found); it is read as the same envelope with {@code errorMessage} null and a
 * {@code response} holding RegisterThing's answer ({@code certificatePem}, {@code resourceArns}). To depend on as
 * little of that as possible, the ARNs are found by what they are ({@code :cert/}, {@code :thing/}) anywhere in the
 * response's {@code resourceArns} (any spelling of that name), and the certificate ARN is then checked against the
 * device's certificate id before anything is recorded.
 *
 * @param lineNumber    the input line the report line is about, from 1; empty when the line names none
 * @param errorMessage  AWS's message for a line it could not register; empty for a result
 */
public record RegistrationReportLine(OptionalLong lineNumber, Optional<String> errorMessage,
                                     Optional<String> certificateArn, Optional<String> thingArn) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Reads one report line; a line that is not a JSON object has no line number (reported, never guessed). */
    public static RegistrationReportLine parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JacksonException e) {
            return new RegistrationReportLine(OptionalLong.empty(), Optional.of("unreadable report line: " + e.getOriginalMessage()),
                    Optional.empty(), Optional.empty());
        }
        if (node == null || !node.isObject()) {
            return new RegistrationReportLine(OptionalLong.empty(), Optional.of("report line is not a JSON object"),
                    Optional.empty(), Optional.empty());
        }
        JsonNode number = node.get("lineNumber");
        OptionalLong lineNumber = number != null && number.canConvertToLong() && number.isIntegralNumber()
                ? OptionalLong.of(number.asLong()) : OptionalLong.empty();
        JsonNode error = node.get("errorMessage");
        Optional<String> errorMessage = error == null || error.isNull() ? Optional.empty() : Optional.of(error.asString());
        Optional<String> certificateArn = Optional.empty();
        Optional<String> thingArn = Optional.empty();
        JsonNode response = node.get("response");
        if (response != null && response.isObject()) {
            for (Map.Entry<String, JsonNode> member : response.properties()) {
                if (member.getKey().equalsIgnoreCase("resourceArns") && member.getValue().isObject()) {
                    for (Map.Entry<String, JsonNode> arn : member.getValue().properties()) {
                        String value = arn.getValue().isString() ? arn.getValue().asString() : "";
                        if (value.contains(":cert/") && certificateArn.isEmpty()) {
                            certificateArn = Optional.of(value);
                        } else if (value.contains(":thing/") && thingArn.isEmpty()) {
                            thingArn = Optional.of(value);
                        }
                    }
                }
            }
        }
        return new RegistrationReportLine(lineNumber, errorMessage, certificateArn, thingArn);
    }

    /**
     * What this line means for the device on its input line.
     *
     * @param certificateId the device's certificate id (SHA-256 of its DER), which a result must name
     */
    public RegistrationOutcome outcomeFor(String certificateId) {
        if (errorMessage.isPresent()) {
            return new RegistrationOutcome.Failed(errorCode(errorMessage.get()), errorMessage.get(), false);
        }
        if (certificateArn.isEmpty()) {
            return new RegistrationOutcome.Failed(RegistrationOutcome.Failed.UNEXPECTED_RESPONSE, "the task's RESULTS line for this "
                    + "device names no certificate ARN: the template must have an AWS::IoT::Certificate resource; not recorded as registered",
                    false);
        }
        String arn = certificateArn.get();
        if (!arn.endsWith(":cert/" + certificateId)) {
            return new RegistrationOutcome.Failed(RegistrationOutcome.Failed.UNEXPECTED_RESPONSE, "the task's RESULTS line for this "
                    + "device's input line names certificate " + arn + ", not this device's " + certificateId
                    + ": not recorded as registered", false);
        }
        return new RegistrationOutcome.Registered(arn, certificateId, thingArn);
    }

    /**
     * AWS's error code inside the message ({@code ...ResourceRegistrationFailureException: ...}, or
     * {@code Error Code: X;}), else {@code BulkRegistrationError}.
     */
    static String errorCode(String message) {
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("Error Code: ([A-Za-z]+)").matcher(message);
        if (code.find()) {
            return code.group(1);
        }
        java.util.regex.Matcher exception = java.util.regex.Pattern.compile("([A-Za-z]+Exception)").matcher(message);
        return exception.find() ? exception.group(1) : "BulkRegistrationError";
    }
}
