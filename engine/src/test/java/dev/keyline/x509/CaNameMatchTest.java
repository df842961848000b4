package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

/**
 * {@link CaNameMatch} answers exactly as {@code X500Name.equals}: random CA names and subjects over few types and
 * values that differ in case, spacing and string type, so that equal names come up as often as different ones;
 * CA names with a multi-valued RDN, several CNs or none among them.
 */
class CaNameMatchTest {

    private static final ASN1ObjectIdentifier[] TYPES = {BCStyle.C, BCStyle.O, BCStyle.OU, BCStyle.CN, BCStyle.ST};
    private static final String[] VALUES = {"Acme", "ACME", " acme ", "Acme  Inc", "acme inc", "US", "us", "Bench CA",
        "bench  ca", "device-1", "Device-1"};

    @Test
    void answersAsX500NameEqualsOnRandomNames() {
        SplittableRandom random = new SplittableRandom(18);
        int equal = 0;
        int different = 0;
        for (int c = 0; c < 400; c++) {
            X500Name ca = name(random, true);
            CaNameMatch match = new CaNameMatch(ca);
            for (int s = 0; s < 200; s++) {
                X500Name subject = random.nextInt(4) == 0 ? shuffled(ca, random) : name(random, false);
                boolean expected = subject.equals(ca);
                assertThat(match.isCaName(subject)).as("%s against the CA %s", subject, ca).isEqualTo(expected);
                if (expected) {
                    equal++;
                } else {
                    different++;
                }
            }
        }
        assertThat(equal).as("equal pairs").isGreaterThan(1_000);
        assertThat(different).as("different pairs").isGreaterThan(1_000);
    }

    @Test
    void aDeviceSubjectIsNotTheCasEvenWithTheSameOtherAttributes() {
        CaNameMatch match = new CaNameMatch(new X500Name("CN=Bench CA,O=Acme,C=US"));
        assertThat(match.isCaName(new X500Name("C=US,O=Acme,CN=device-1"))).isFalse();
        assertThat(match.isCaName(new X500Name("C=US,O=ACME,CN=bench  ca"))).isTrue();
        assertThat(match.isCaName(new X500Name("C=US,CN=Bench CA"))).isFalse();
    }

    /** 1-4 RDNs; a CA name sometimes has a multi-valued RDN. */
    private static X500Name name(SplittableRandom random, boolean mayBeMultiValued) {
        int size = 1 + random.nextInt(4);
        RDN[] rdns = new RDN[size];
        for (int i = 0; i < size; i++) {
            if (mayBeMultiValued && random.nextInt(8) == 0) {
                rdns[i] = new RDN(new AttributeTypeAndValue[] {atv(random), atv(random)});
            } else {
                rdns[i] = new RDN(atv(random));
            }
        }
        return new X500Name(rdns);
    }

    private static AttributeTypeAndValue atv(SplittableRandom random) {
        ASN1ObjectIdentifier type = TYPES[random.nextInt(TYPES.length)];
        String value = VALUES[random.nextInt(VALUES.length)];
        boolean printable = random.nextBoolean() && value.chars().allMatch(ch -> ch < 128);
        return new AttributeTypeAndValue(type, printable ? new DERPrintableString(value) : new DERUTF8String(value));
    }

    /** The CA's RDNs in another order, each value perhaps respelled in another case. */
    private static X500Name shuffled(X500Name ca, SplittableRandom random) {
        List<RDN> rdns = new ArrayList<>(List.of(ca.getRDNs()));
        for (int i = rdns.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            RDN t = rdns.get(i);
            rdns.set(i, rdns.get(j));
            rdns.set(j, t);
        }
        List<RDN> out = new ArrayList<>();
        for (RDN rdn : rdns) {
            if (rdn.isMultiValued() || !random.nextBoolean()) {
                out.add(rdn);
            } else {
                String value = rdn.getFirst().getValue().toString();
                out.add(new RDN(rdn.getFirst().getType(), new DERUTF8String(random.nextBoolean()
                        ? value.toUpperCase() : value.toLowerCase())));
            }
        }
        return new X500Name(out.toArray(RDN[]::new));
    }
}
