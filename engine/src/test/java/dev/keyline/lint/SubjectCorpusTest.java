package dev.keyline.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyline.device.ManifestRecord;
import dev.keyline.x509.SubjectName;

/** A corpus of subject names, each with the outcome lint gives it: the codes of its errors and warnings, or none. */
class SubjectCorpusTest {

    private static final DeviceLinter LINT = new DeviceLinter(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), false);

    static Stream<Arguments> corpus() {
        return Stream.of(
                // the field case in all its forms
                outcome("/CN=thing\\C=US", "error " + RowFindings.EMBEDDED_ATTRIBUTE),
                outcome("//CN=thing\\C=US", "error " + RowFindings.EMBEDDED_ATTRIBUTE,
                        "warning " + RowFindings.GIT_BASH_DOUBLE_SLASH),
                outcome("/CN=thingC=US", "error " + RowFindings.EMBEDDED_ATTRIBUTE),
                outcome("CN=thing\\,C=US", "error " + RowFindings.EMBEDDED_ATTRIBUTE),
                outcome("CN=thing\\C=US", "error " + RowFindings.SYNTAX),
                outcome("CN=thing,C=US"),
                outcome("/CN=thing/C=US"),
                outcome("//CN=thing/C=US", "warning " + RowFindings.GIT_BASH_DOUBLE_SLASH),
                // escapes that are values, not mistakes
                outcome("CN=dev-1,O=Acme\\, Inc.,C=US"),
                outcome("/O=Acme\\/Europe/CN=dev-1"),
                outcome("CN=Ger\\C3\\A4t Z\\C3\\BCrich 7,C=DE"),
                outcome("/C=DE/CN=Gerät Zürich 7"),
                // bounds, countries, empties, unknown names
                outcome("/CN=" + "x".repeat(65), "error " + RowFindings.TOO_LONG),
                outcome("/CN=" + "x".repeat(64)),
                outcome("/C=us/CN=x", "error " + RowFindings.COUNTRY_CODE),
                outcome("/C=USA/CN=x", "error " + RowFindings.COUNTRY_CODE),
                outcome("/C=XX/CN=x", "error " + RowFindings.COUNTRY_CODE),
                outcome("/CN=/O=Acme", "error " + RowFindings.EMPTY),
                outcome("CN=x,O=", "error " + RowFindings.EMPTY),
                outcome("/CN=x/FOO=bar", "error " + RowFindings.UNKNOWN_ATTRIBUTE),
                outcome("/serialNumber=AB_12/CN=x", "error " + RowFindings.PRINTABLE_STRING),
                outcome("/CN=x/Acme", "error " + RowFindings.SYNTAX),
                // host names and addresses in the CN
                outcome("/CN=dev-1.example.com", "warning " + CommonNameInSan.CODE),
                outcome("/CN=192.0.2.7", "warning " + CommonNameInSan.CODE),
                outcome("/CN=dev-1"));
    }

    private static Arguments outcome(String subject, String... expected) {
        return Arguments.of(subject, List.of(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("corpus")
    void eachNameHasItsExpectedOutcome(String subject, List<String> expected) {
        LintedDevice linted = LINT.lint(row(Map.of("device_id", "d1", "subject", subject)), null);
        assertThat(linted.findings()).extracting(f -> f.severity().label() + " " + f.code())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void backslashFindingNamesFieldValueCauseAndCorrectedCommand() {
        Finding f = LINT.lint(row(Map.of("device_id", "d1", "subject", "/CN=testThing\\C=US")), null).findings().get(0);
        assertThat(f.field()).isEqualTo("CN");
        assertThat(f.value()).isEqualTo("testThingC=US");
        assertThat(f.message()).startsWith("CN contains `C=US`: OpenSSL's -subj separates with `/`; a `\\` escapes the "
                + "next character");
        assertThat(f.fix()).contains("-subj \"/CN=testThing/C=US\"").contains("C=US,CN=testThing")
                .doesNotContain("Git Bash");
    }

    @Test
    void gitBashFormIsExplainedAndItsCorrectionKeepsTheDoubleSlash() {
        List<Finding> findings = LINT.lint(row(Map.of("device_id", "d1", "subject", "//CN=testThing\\C=US")), null)
                .findings();
        assertThat(findings.get(0).fix()).contains("on Git Bash keep the leading `//`")
                .contains("-subj \"//CN=testThing/C=US\"");
        assertThat(findings.get(1).message()).contains("Git Bash (MSYS) workaround");
    }

    @Test
    void singleFieldsAreCheckedLikeAWholeSubject() {
        Finding f = LINT.lint(row(Map.of("device_id", "d1", "country", "us")), null).findings().get(0);
        assertThat(f.code()).isEqualTo(RowFindings.COUNTRY_CODE);
        assertThat(f.field()).isEqualTo("C");
        assertThat(f.value()).isEqualTo("us");
        assertThat(f.fix()).isEqualTo("write C=US");
    }

    @Test
    void hostNameInTheSanIsNoWarningAndCnToSanCopiesIt() {
        Map<String, String> inSan = Map.of("device_id", "d1", "common_name", "dev-1.example.com", "san_dns", "dev-1.example.com");
        assertThat(LINT.lint(row(inSan), null).findings()).isEmpty();
        Map<String, String> ipInSan = Map.of("device_id", "d1", "common_name", "2001:db8::7", "san_ip", "2001:DB8:0::7");
        assertThat(LINT.lint(row(ipInSan), null).findings()).isEmpty();

        DeviceLinter copying = new DeviceLinter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
        LintedDevice copied = copying.lint(row(Map.of("device_id", "d1", "common_name", "dev-1.example.com")), null);
        assertThat(copied.findings()).isEmpty();
        assertThat(copied.spec().orElseThrow().altNames().dnsNames()).containsExactly("dev-1.example.com");
    }

    @Test
    void deviceNamedLikeItsCaIsRefusedBeforeSigning() {
        SubjectName ca = SubjectName.parse("CN=Acme Device CA,O=Acme,C=US");
        DeviceLinter withCa = new DeviceLinter(Optional.empty(), Optional.of(ca.toX500Name()), Optional.empty(),
                Optional.empty(), false);
        Finding f = withCa.lint(row(Map.of("device_id", "d1", "subject", "/C=US/O=Acme/CN=Acme Device CA")), null)
                .findings().get(0);
        assertThat(f.code()).isEqualTo(DeviceLinter.EQUALS_ISSUER);
        assertThat(f.message()).contains("CA's own subject");
        assertThat(withCa.lint(row(Map.of("device_id", "d1", "subject", "/C=US/O=Acme/CN=d1")), null).findings()).isEmpty();
    }

    static ManifestRecord row(Map<String, String> fields) {
        return new ManifestRecord(0, 2, new LinkedHashMap<>(fields), null);
    }
}
