package dev.keyline.x509;

import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Whether a device subject is the CA's own name, as {@link X500Name#equals} decides it, asked once per device.
 *
 * <p>Bouncy Castle compares two names by pairing off their RDNs: each RDN of one must equal an RDN of the other, of
 * the same types, with values equal once canonicalised ({@link IETFUtils#canonicalString}). It canonicalises both
 * values for every pair it tries, the CA's included: 4.5% of an issuing worker's Java time under C1 (JFR, 100,000
 * devices). Two quick refusals are exact consequences of that rule, so they are taken first: names whose RDNs' types
 * differ as a multiset cannot pair off, and when the CA has one CN, a subject whose only CN differs from it once
 * canonicalised (the CA's done once, here) cannot equal it. Whatever passes both, and any name with a multi-valued
 * RDN, goes to Bouncy Castle's comparison. {@code CaNameMatchTest} holds this to {@code X500Name.equals} on random
 * names. Thread-safe.
 */
final class CaNameMatch {

    private final X500Name caName;
    /** The CA's RDN types, sorted; null when one of its RDNs is multi-valued (then only Bouncy Castle decides). */
    private final String[] caTypes;
    /** The CA's CN canonicalised, when it has exactly one CN; else null. */
    private final String caCommonName;

    CaNameMatch(X500Name caName) {
        this.caName = caName;
        RDN[] rdns = caName.getRDNs();
        String[] types = new String[rdns.length];
        ASN1Encodable commonName = null;
        int commonNames = 0;
        boolean multiValued = false;
        for (int i = 0; i < rdns.length; i++) {
            if (rdns[i].isMultiValued() || rdns[i].getFirst() == null) {
                multiValued = true;
                break;
            }
            types[i] = rdns[i].getFirst().getType().getId();
            if (rdns[i].getFirst().getType().equals(BCStyle.CN)) {
                commonName = rdns[i].getFirst().getValue();
                commonNames++;
            }
        }
        if (multiValued) {
            this.caTypes = null;
            this.caCommonName = null;
        } else {
            Arrays.sort(types);
            this.caTypes = types;
            this.caCommonName = commonNames == 1 ? IETFUtils.canonicalString(commonName) : null;
        }
    }

    /** {@code subject.equals(caName)}, refusing quickly where the rule above allows. */
    boolean isCaName(X500Name subject) {
        if (caTypes != null) {
            RDN[] rdns = subject.getRDNs();
            if (rdns.length != caTypes.length) {
                return false;
            }
            String[] types = new String[rdns.length];
            ASN1Encodable commonName = null;
            for (int i = 0; i < rdns.length; i++) {
                if (rdns[i].isMultiValued() || rdns[i].getFirst() == null) {
                    return subject.equals(caName);
                }
                types[i] = rdns[i].getFirst().getType().getId();
                if (rdns[i].getFirst().getType().equals(BCStyle.CN)) {
                    commonName = rdns[i].getFirst().getValue();
                }
            }
            Arrays.sort(types);
            if (!Arrays.equals(types, caTypes)) {
                return false;
            }
            // Same types, so the subject too has exactly one CN when the CA has: it must pair with the CA's.
            if (caCommonName != null && !IETFUtils.canonicalString(commonName).equals(caCommonName)) {
                return false;
            }
        }
        return subject.equals(caName);
    }
}
