package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RegistrationReportLineTest {

    private static final String ID = "a".repeat(64);

    @Test
    void readsAnErrorsLineAsAwsWritesItWithTheCodeFromItsMessage() {
        // The shape of a real ERRORS report line (a public repository's downloaded report), request id shortened.
        RegistrationReportLine line = RegistrationReportLine.parse("{\"errorMessage\":\"com.amazonaws.services.iot.model."
                + "ResourceRegistrationFailureException: Register thing workflow execution terminates due to: Thing Type "
                + "250602908823:vehicle not found. (Service: AWSIot; Status Code: 400; Error Code: ResourceRegistrationFailureException;"
                + " Request ID: 9025178d; Proxy: null)\",\"lineNumber\":1,\"offset\":70,\"response\":null}");

        assertThat(line.lineNumber()).hasValue(1);
        RegistrationOutcome outcome = line.outcomeFor(ID);
        assertThat(outcome).isInstanceOf(RegistrationOutcome.Failed.class);
        assertThat(((RegistrationOutcome.Failed) outcome).errorCode()).isEqualTo("ResourceRegistrationFailureException");
        assertThat(((RegistrationOutcome.Failed) outcome).message()).contains("Thing Type 250602908823:vehicle not found");
    }

    @Test
    void aResultsLineIsRegisteredOnlyWithTheDevicesOwnCertificate() {
        String result = "{\"errorMessage\":null,\"lineNumber\":7,\"offset\":900,\"response\":{\"certificatePem\":\"...\","
                + "\"resourceArns\":{\"thing\":\"arn:aws:iot:eu-west-1:111111111111:thing/t7\","
                + "\"certificate\":\"arn:aws:iot:eu-west-1:111111111111:cert/" + ID + "\"}}}";

        RegistrationReportLine line = RegistrationReportLine.parse(result);

        assertThat(line.lineNumber()).hasValue(7);
        assertThat(line.outcomeFor(ID)).isEqualTo(new RegistrationOutcome.Registered(
                "arn:aws:iot:eu-west-1:111111111111:cert/" + ID, ID, Optional.of("arn:aws:iot:eu-west-1:111111111111:thing/t7")));
        RegistrationOutcome other = line.outcomeFor("b".repeat(64));
        assertThat(other).isInstanceOf(RegistrationOutcome.Failed.class);
        assertThat(((RegistrationOutcome.Failed) other).errorCode()).isEqualTo(RegistrationOutcome.Failed.UNEXPECTED_RESPONSE);
    }

    @Test
    void aLineThatNamesNoLineNumberIsNeverGuessed() {
        assertThat(RegistrationReportLine.parse("not json").lineNumber()).isEmpty();
        assertThat(RegistrationReportLine.parse("{\"errorMessage\":\"x\",\"lineNumber\":\"3\"}").lineNumber()).isEmpty();
    }
}
