package dev.keyline.x509;

import static dev.keyline.x509.SubjectName.AttributeType.C;
import static dev.keyline.x509.SubjectName.AttributeType.CN;
import static dev.keyline.x509.SubjectName.AttributeType.DN_QUALIFIER;
import static dev.keyline.x509.SubjectName.AttributeType.L;
import static dev.keyline.x509.SubjectName.AttributeType.O;
import static dev.keyline.x509.SubjectName.AttributeType.OU;
import static dev.keyline.x509.SubjectName.AttributeType.SERIAL_NUMBER;
import static dev.keyline.x509.SubjectName.AttributeType.ST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.ASN1Primitive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyline.x509.SubjectName.Attribute;

class SubjectNameTest {

    // ---- the two syntaxes ---------------------------------------------------------------------------

    @Test
    void theSameNameInBothSyntaxesIsEqual() {
        SubjectName slash = SubjectName.parse("/C=US/ST=CA/L=San Jose/O=Acme/OU=Line 4/CN=dev-1");
        SubjectName rfc = SubjectName.parse("CN=dev-1,OU=Line 4,O=Acme,L=San Jose,ST=CA,C=US");
        assertThat(slash).isEqualTo(rfc).hasSameHashCodeAs(rfc);
        assertThat(slash.attributes()).extracting(Attribute::type).containsExactly(C, ST, L, O, OU, CN);
        assertThat(slash.toString()).isEqualTo("CN=dev-1,OU=Line 4,O=Acme,L=San Jose,ST=CA,C=US");
        assertThat(rfc.toOpenSslString()).isEqualTo("/C=US/ST=CA/L=San Jose/O=Acme/OU=Line 4/CN=dev-1");
    }

    @Test
    void attributeNamesAreCaseInsensitive() {
        assertThat(SubjectName.parse("cn=x,SERIALNUMBER=A1,dnqualifier=q,c=US"))
                .isEqualTo(SubjectName.parse("/C=US/dnQualifier=q/serialNumber=A1/CN=x"));
    }

    @Test
    void rfc4514EscapedCommaStaysInTheValue() {
        assertThat(SubjectName.parse("CN=a\\,b").get(CN)).contains("a,b");
        SubjectName acme = SubjectName.parse("CN=dev-1,O=Acme\\, Inc.,C=US");
        assertThat(acme.get(O)).contains("Acme, Inc.");
        assertThat(acme.toString()).isEqualTo("CN=dev-1,O=Acme\\, Inc.,C=US");
    }

    @Test
    void rfc4514AcceptsEveryEscape() {
        SubjectName name = SubjectName.parse("CN=\\\"q\\\" \\+ \\\\ \\<\\> \\; \\= \\#");
        assertThat(name.get(CN)).contains("\"q\" + \\ <> ; = #");
        assertThat(SubjectName.parse(name.toString())).isEqualTo(name);
    }

    @Test
    void rfc4514DecodesHexPairsAsUtf8() {
        assertThat(SubjectName.parse("CN=Ger\\C3\\A4t Z\\c3\\bcrich 7").get(CN)).contains("Gerät Zürich 7");
        assertThat(SubjectName.parse("CN=a\\2Cb").get(CN)).contains("a,b");
    }

    @Test
    void rfc4514KeepsEscapedLeadingAndTrailingSpacesAndDropsUnescapedOnes() {
        assertThat(SubjectName.parse("CN=\\ padded\\ ").get(CN)).contains(" padded ");
        assertThat(SubjectName.parse("CN=  x y  , O=Acme").get(CN)).contains("x y");
        assertThat(SubjectName.parse("CN=  x y  , O=Acme").get(O)).contains("Acme");
        SubjectName padded = SubjectName.parse("CN=\\ padded\\ ");
        assertThat(padded.toString()).isEqualTo("CN=\\ padded\\ ");
        assertThat(SubjectName.parse(padded.toString())).isEqualTo(padded);
    }

    @Test
    void rfc4514LeadingHashMustBeEscaped() {
        assertThat(SubjectName.parse("CN=\\#1").get(CN)).contains("#1");
        assertThatThrownBy(() -> SubjectName.parse("CN=#0403616263"))
                .isInstanceOf(InvalidSubjectException.class).hasMessageContaining("hex-encoded BER");
    }

    @Test
    void openSslFormUnescapesSlashesAndBackslashes() {
        SubjectName name = SubjectName.parse("/O=Acme\\/Europe/CN=a\\\\b");
        assertThat(name.get(O)).contains("Acme/Europe");
        assertThat(name.get(CN)).contains("a\\b");
        assertThat(name.toOpenSslString()).isEqualTo("/O=Acme\\/Europe/CN=a\\\\b");
        assertThat(SubjectName.parse(name.toOpenSslString())).isEqualTo(name);
        assertThat(SubjectName.parse(name.toString())).isEqualTo(name);
    }

    @Test
    void openSslFormTakesPlusLiterallyAsOpenSslDoesWithoutMultivalueRdn() {
        assertThat(SubjectName.parse("/CN=a+b").get(CN)).contains("a+b");
        assertThat(SubjectName.parse("/CN=a+b").toString()).isEqualTo("CN=a\\+b");
    }

    @Test
    void unicodeValuesAreKept() {
        SubjectName slash = SubjectName.parse("/C=DE/O=Gerätebau/CN=Gerät Zürich 7");
        assertThat(slash.get(CN)).contains("Gerät Zürich 7");
        assertThat(slash).isEqualTo(SubjectName.parse("CN=Gerät Zürich 7,O=Gerätebau,C=DE"));
    }

    @Test
    void acceptsTheGitBashDoubleSlash() {
        assertThat(SubjectName.parse("//CN=x/C=US")).isEqualTo(SubjectName.parse("/CN=x/C=US"));
    }

    @Test
    void multiValuedRdnsAreRefusedWithTheEscape() {
        assertThatThrownBy(() -> SubjectName.parse("CN=a+OU=b"))
                .isInstanceOf(InvalidSubjectException.class).hasMessageContaining("multi-valued").hasMessageContaining("\\+");
    }

    @Test
    void unescapedSemicolonIsRefused() {
        assertThatThrownBy(() -> SubjectName.parse("CN=a;O=b"))
                .isInstanceOf(InvalidSubjectException.class).hasMessageContaining("\\;");
    }

    @Test
    void partsWithoutEqualsAreRefused() {
        assertThatThrownBy(() -> SubjectName.parse("/CN=x/Acme")).isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("`/Acme`").hasMessageContaining("has no `=`");
        assertThatThrownBy(() -> SubjectName.parse("CN=x,Acme")).isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("`Acme`").hasMessageContaining("has no `=`");
    }

    @Test
    void blankTextIsRefusedWithExamples() {
        assertThatThrownBy(() -> SubjectName.parse("  ")).isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("/C=US/O=Acme/CN=device-1");
    }

    // ---- the rules ----------------------------------------------------------------------------------

    @Test
    void rejectsSubjectWithBackslashSeparators() {
        assertThatThrownBy(() -> SubjectName.parse("/CN=thing\\C=US"))
                .isInstanceOfSatisfying(InvalidSubjectException.class, e -> {
                    assertThat(e.attribute()).contains(CN);
                    assertThat(e.value()).isEqualTo("thingC=US");
                })
                .hasMessageContaining("CN \"thingC=US\" contains `C=US`")
                .hasMessageContaining("OpenSSL's -subj separates attributes with `/`; a `\\` escapes the next character, "
                        + "so `/CN=thing\\C=US` became one CN")
                .hasMessageContaining("-subj \"/CN=thing/C=US\"");
    }

    @Test
    void rejectsSubjectWithAMissingSlash() {
        assertThatThrownBy(() -> SubjectName.parse("/CN=thingC=US"))
                .isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("contains `C=US`").hasMessageContaining("-subj \"/CN=thing/C=US\"");
    }

    @Test
    void separatorMistakeWithSeveralAttributesSuggestsEverySlash() {
        assertThatThrownBy(() -> SubjectName.parse("/CN=thing\\O=Acme\\C=US"))
                .isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("contains `O=Acme`").hasMessageContaining("-subj \"/CN=thing/O=Acme/C=US\"");
    }

    @Test
    void rejectsEmbeddedAttributesAddedThroughTheBuilderToo() {
        assertThatThrownBy(() -> SubjectName.builder().add(CN, "thing/c=US").build())
                .isInstanceOf(InvalidSubjectException.class).hasMessageContaining("contains `c=US`");
    }

    @Test
    void rejectsOverLongCommonName() {
        String cn65 = "x".repeat(65);
        assertThatThrownBy(() -> SubjectName.parse("/CN=" + cn65))
                .isInstanceOfSatisfying(InvalidSubjectException.class, e -> assertThat(e.value()).isEqualTo(cn65))
                .hasMessageContaining("CN \"" + cn65 + "\" is 65 characters long; RFC 5280 allows at most 64: shorten it");
        assertThat(SubjectName.parse("/CN=" + "x".repeat(64)).get(CN)).isPresent();
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        String emoji64 = "\uD83D\uDE00".repeat(64);
        assertThat(SubjectName.builder().add(CN, emoji64).build().get(CN)).contains(emoji64);
        assertThatThrownBy(() -> SubjectName.builder().add(CN, emoji64 + "x").build())
                .hasMessageContaining("is 65 characters long");
    }

    @Test
    void appliesTheRfc5280BoundsOfEachAttribute() {
        assertThat(SubjectName.builder().add(L, "l".repeat(128)).add(ST, "s".repeat(128)).build().get(L)).isPresent();
        assertThatThrownBy(() -> SubjectName.builder().add(L, "l".repeat(129)).build()).hasMessageContaining("at most 128");
        assertThatThrownBy(() -> SubjectName.builder().add(O, "o".repeat(65)).build()).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> SubjectName.builder().add(OU, "o".repeat(65)).build()).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> SubjectName.builder().add(SERIAL_NUMBER, "1".repeat(65)).build())
                .hasMessageContaining("at most 64");
    }

    @Test
    void lowercaseCountryIsRefusedWithTheUppercaseCode() {
        assertThatThrownBy(() -> SubjectName.parse("CN=x,C=us"))
                .isInstanceOfSatisfying(InvalidSubjectException.class, e -> {
                    assertThat(e.attribute()).contains(C);
                    assertThat(e.value()).isEqualTo("us");
                })
                .hasMessageContaining("C \"us\"").hasMessageContaining("write C=US");
    }

    @Test
    void alpha3CountryIsRefusedWithTheAlpha2Code() {
        assertThatThrownBy(() -> SubjectName.parse("/C=USA/CN=x"))
                .isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("C \"USA\" is a three-letter (alpha-3) code").hasMessageContaining("write C=US");
        assertThatThrownBy(() -> SubjectName.parse("/C=deu/CN=x")).hasMessageContaining("write C=DE");
    }

    @Test
    void unknownCountryIsRefused() {
        assertThatThrownBy(() -> SubjectName.parse("/C=XX/CN=x"))
                .isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("C \"XX\" is not an ISO 3166-1 alpha-2 country code");
    }

    @Test
    void printableStringAttributesNameTheCharacterNotAllowed() {
        assertThatThrownBy(() -> SubjectName.parse("/serialNumber=AB_12"))
                .isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("serialNumber \"AB_12\" contains \"_\", which a PrintableString cannot hold");
        assertThatThrownBy(() -> SubjectName.parse("/dnQualifier=Gerät"))
                .hasMessageContaining("dnQualifier \"Gerät\" contains \"ä\"");
        assertThat(SubjectName.parse("/serialNumber=SN 0042-A:(1)").get(SERIAL_NUMBER)).contains("SN 0042-A:(1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/CN=/O=Acme", "CN=,O=Acme", "/CN=x/O="})
    void emptyValueIsRefused(String text) {
        assertThatThrownBy(() -> SubjectName.parse(text))
                .isInstanceOf(InvalidSubjectException.class).hasMessageMatching("(CN|O) is empty: .*");
    }

    @Test
    void unknownAttributeIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> SubjectName.parse("/CN=x/FOO=bar"))
                .isInstanceOfSatisfying(InvalidSubjectException.class, e -> {
                    assertThat(e.attributeName()).isEqualTo("FOO");
                    assertThat(e.attribute()).isEmpty();
                    assertThat(e.value()).isEqualTo("bar");
                })
                .hasMessageContaining("unknown subject attribute \"FOO\"")
                .hasMessageContaining("CN, C, ST, L, O, OU, serialNumber, dnQualifier");
    }

    @Test
    void snIsRefusedBecauseItIsTheSurname() {
        assertThatThrownBy(() -> SubjectName.parse("/CN=x/SN=1234"))
                .isInstanceOf(InvalidSubjectException.class)
                .hasMessageContaining("SN is the surname").hasMessageContaining("serialNumber=1234");
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> SubjectName.builder().add(CN, "a\nb").build())
                .hasMessageContaining("control character U+000A");
    }

    @Test
    void theDefaultRulesCanBeRunOnTheirOwn() {
        Attribute bad = new Attribute(C, "usa");
        assertThat(SubjectRules.DEFAULT.stream().map(r -> r.check(bad)).flatMap(java.util.Optional::stream))
                .first().asString().contains("write C=US");
        assertThat(SubjectRules.DEFAULT).allSatisfy(r -> assertThat(r.check(new Attribute(CN, "fine"))).isEmpty());
    }

    // ---- builder, accessors and encoding ------------------------------------------------------------

    @Test
    void builderPutsFieldsInTheConventionalOrder() {
        SubjectName name = SubjectName.builder().add(CN, "dev-1").add(SERIAL_NUMBER, "42").add("o", "Acme").add(C, "US").build();
        assertThat(name.attributes()).extracting(Attribute::type).containsExactly(C, O, CN, SERIAL_NUMBER);
        assertThat(name.toString()).isEqualTo("serialNumber=42,CN=dev-1,O=Acme,C=US");
        assertThat(name.get(L)).isEmpty();
        assertThat(SubjectName.builder().build()).isSameAs(SubjectName.EMPTY);
    }

    @Test
    void repeatedAttributesKeepTheirOrder() {
        SubjectName name = SubjectName.parse("/O=Acme/OU=Plant 1/OU=Line 4/CN=x");
        assertThat(name.getAll(OU)).containsExactly("Plant 1", "Line 4");
        assertThat(name.get(OU)).contains("Plant 1");
    }

    @Test
    void encodesCountrySerialAndQualifierAsPrintableStringAndTheRestAsUtf8() throws Exception {
        SubjectName name = SubjectName.parse("/C=US/O=Gerätebau/serialNumber=A1/dnQualifier=q/CN=Gerät Zürich 7");
        ASN1Sequence rdns = ASN1Sequence.getInstance(name.toX500Name().getEncoded());
        List<Integer> tags = new java.util.ArrayList<>();
        for (var rdn : rdns) {
            ASN1Sequence atv = ASN1Sequence.getInstance(ASN1Set.getInstance(rdn).getObjectAt(0));
            ASN1Primitive value = atv.getObjectAt(1).toASN1Primitive();
            tags.add(value.getEncoded()[0] & 0xff);
        }
        assertThat(tags).containsExactly(BERTags.PRINTABLE_STRING, BERTags.UTF8_STRING, BERTags.PRINTABLE_STRING,
                BERTags.PRINTABLE_STRING, BERTags.UTF8_STRING);
        assertThat(name.toX500Name().toString()).isEqualTo("C=US,O=Gerätebau,SERIALNUMBER=A1,DN=q,CN=Gerät Zürich 7");
    }
}
