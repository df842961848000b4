package dev.keyline.lint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.asn1.x509.GeneralName;

import dev.keyline.device.DeviceSpec;
import dev.keyline.x509.InvalidAltNameException;
import dev.keyline.x509.SubjectAltNames;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * A host name or IP address in the CN: RFC 6125 verifiers ignore the CN once a certificate has a subjectAltName,
 * so the name must be in the SAN too. Without {@code --cn-to-san} this warns; with it the CN is copied into the
 * SAN before signing. Device ids such as {@code dev-1} have no dot and are not taken for host names.
 * Stateless and thread-safe.
 */
public final class CommonNameInSan {

    public static final String CODE = "subject.cn-not-in-san";

    private final boolean copy;

    /** @param copy true for {@code --cn-to-san}: put the CN into the SAN instead of warning */
    public CommonNameInSan(boolean copy) {
        this.copy = copy;
    }

    /** The device as it will be issued (with the CN added to its SAN when copying), and the warning if not. */
    public Checked check(DeviceSpec spec) {
        Optional<String> cn = spec.subject().get(AttributeType.CN);
        if (cn.isEmpty()) {
            return new Checked(spec, Optional.empty());
        }
        Optional<SubjectAltNames> asSan = asAltName(cn.get());
        if (asSan.isEmpty() || contains(spec.altNames(), asSan.get())) {
            return new Checked(spec, Optional.empty());
        }
        boolean ip = !asSan.get().ipAddresses().isEmpty();
        if (copy) {
            return new Checked(withAltName(spec, asSan.get()), Optional.empty());
        }
        String kind = ip ? "IP address" : "DNS name";
        return new Checked(spec, Optional.of(Finding.warning(CODE, "CN", cn.get(), "CN \"" + cn.get() + "\" is a " + kind
                + " that the subjectAltName does not hold; TLS verifiers (RFC 6125) ignore the CN when a SAN is present",
                "add it to " + (ip ? "san_ip" : "san_dns") + ", or pass --cn-to-san to copy it there")));
    }

    /** A device after the check. */
    public record Checked(DeviceSpec spec, Optional<Finding> finding) {
    }

    /** The CN as a SAN entry when it is an IP literal or a dotted host name. */
    static Optional<SubjectAltNames> asAltName(String cn) {
        boolean ipLike = cn.indexOf(':') >= 0 || cn.chars().allMatch(c -> Character.isDigit(c) || c == '.');
        try {
            if (ipLike) {
                return Optional.of(new SubjectAltNames(List.of(), List.of(), List.of(cn)));
            }
            String last = cn.substring(cn.lastIndexOf('.') + 1);
            if (cn.indexOf('.') < 0 || last.isEmpty() || !last.chars().allMatch(Character::isLetter)) {
                return Optional.empty();
            }
            return Optional.of(SubjectAltNames.ofDns(cn.toLowerCase(Locale.ROOT)));
        } catch (InvalidAltNameException notAHostName) {
            return Optional.empty();
        }
    }

    private static boolean contains(SubjectAltNames have, SubjectAltNames wanted) {
        List<GeneralName> names = Arrays.asList(have.toGeneralNames().getNames());
        if (!wanted.dnsNames().isEmpty()) {
            return have.dnsNames().stream().anyMatch(d -> d.equalsIgnoreCase(wanted.dnsNames().get(0)));
        }
        return names.contains(wanted.toGeneralNames().getNames()[0]);
    }

    private static DeviceSpec withAltName(DeviceSpec s, SubjectAltNames add) {
        List<String> dns = new ArrayList<>(s.altNames().dnsNames());
        List<String> ips = new ArrayList<>(s.altNames().ipAddresses());
        dns.addAll(add.dnsNames());
        ips.addAll(add.ipAddresses());
        return new DeviceSpec(s.index(), s.line(), s.deviceId(), s.subject(),
                new SubjectAltNames(dns, s.altNames().uris(), ips), s.key(), s.csr(), s.thingName(), s.thingType(),
                s.thingGroups(), s.attributes(), s.accounts());
    }
}
