package dev.keyline.x509;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The subjectAltName entries of a certificate, validated when made: DNS names by hostname syntax
 * (with an optional leading {@code *.} wildcard; internationalised names as A-labels), URIs with a
 * scheme, and IPv4/IPv6 literals parsed without any DNS lookup.
 *
 * <p>Immutable; the lists are copied.
 */
public record SubjectAltNames(List<String> dnsNames, List<String> uris, List<String> ipAddresses) {

    public static final SubjectAltNames NONE = new SubjectAltNames(List.of(), List.of(), List.of());

    /**
     * @throws InvalidAltNameException for an entry that is not a valid DNS name, URI or IP literal
     */
    public SubjectAltNames {
        dnsNames = List.copyOf(Objects.requireNonNullElse(dnsNames, List.of()));
        uris = List.copyOf(Objects.requireNonNullElse(uris, List.of()));
        ipAddresses = List.copyOf(Objects.requireNonNullElse(ipAddresses, List.of()));
        dnsNames.forEach(SubjectAltNames::checkDnsName);
        uris.forEach(SubjectAltNames::checkUri);
        ipAddresses.forEach(SubjectAltNames::ipBytes);
    }

    public static SubjectAltNames ofDns(String... names) {
        return new SubjectAltNames(List.of(names), List.of(), List.of());
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && uris.isEmpty() && ipAddresses.isEmpty();
    }

    /** The entries as BC general names: DNS, then URI, then IP, each in the order given. */
    public GeneralNames toGeneralNames() {
        List<GeneralName> names = new ArrayList<>(dnsNames.size() + uris.size() + ipAddresses.size());
        dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
        uris.forEach(u -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
        ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ipBytes(ip)))));
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    private static void checkDnsName(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidAltNameException("a DNS name is empty: give a host name such as device-1.example.com",
                    "DNS", name);
        }
        String host = name.startsWith("*.") ? name.substring(2) : name;
        if (name.length() > 253) {
            throw bad(name, "is longer than 253 characters");
        }
        if (host.endsWith(".")) {
            throw bad(name, "ends with `.`: leave the final dot out");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c > 127) {
                throw bad(name, "contains the non-ASCII character \"" + c + "\": write the name as its IDNA A-label "
                        + "(punycode, e.g. with java.net.IDN.toASCII)");
            }
            if (c == '*') {
                throw bad(name, "has a `*` that is not a whole leftmost label: only `*.example.com` wildcards are allowed");
            }
        }
        for (String label : host.split("\\.", -1)) {
            if (label.isEmpty()) {
                throw bad(name, "has an empty label (`..` or a leading `.`)");
            }
            if (label.length() > 63) {
                throw bad(name, "has the label \"" + label + "\", longer than 63 characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw bad(name, "has the label \"" + label + "\", which starts or ends with `-`");
            }
            for (char c : label.toCharArray()) {
                if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-') {
                    throw bad(name, "contains \"" + c + "\": DNS names hold letters, digits, `-` and `.` only");
                }
            }
        }
    }

    private static InvalidAltNameException bad(String name, String why) {
        return new InvalidAltNameException("DNS name \"" + name + "\" " + why, "DNS", name);
    }

    private static void checkUri(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw new InvalidAltNameException("a URI is empty: give an absolute URI such as urn:device:1 or "
                    + "spiffe://example.org/device/1", "URI", uri);
        }
        if (!uri.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidAltNameException("URI \"" + uri + "\" contains spaces or non-ASCII characters: "
                    + "percent-encode them (a certificate URI is an IA5String)", "URI", uri);
        }
        try {
            if (new URI(uri).getScheme() == null) {
                throw new InvalidAltNameException("URI \"" + uri + "\" has no scheme: write an absolute URI such as "
                        + "urn:device:1 or https://example.com/device/1", "URI", uri);
            }
        } catch (URISyntaxException e) {
            throw new InvalidAltNameException("URI \"" + uri + "\" does not parse: " + e.getReason() + " at index "
                    + e.getIndex(), "URI", uri);
        }
    }

    /** The 4 or 16 address bytes of an IP literal; never asks DNS. */
    static byte[] ipBytes(String ip) {
        if (ip == null || ip.isEmpty()) {
            throw new InvalidAltNameException("an IP address is empty: give an IPv4 or IPv6 literal", "IP", ip);
        }
        if (ip.indexOf(':') < 0) {
            return ipv4(ip);
        }
        if (!ip.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new InvalidAltNameException("IP address \"" + ip + "\" is not an IPv6 literal (zone ids such as "
                    + "%eth0 and brackets are not allowed)", "IP", ip);
        }
        try {
            // With a ':' in it, InetAddress treats the text as an IPv6 literal and never resolves it.
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (address.length == 4) { // an IPv4-mapped literal such as ::ffff:1.2.3.4
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(address, 0, mapped, 12, 4);
                return mapped;
            }
            return address;
        } catch (UnknownHostException e) {
            throw new InvalidAltNameException("IP address \"" + ip + "\" is not a valid IPv6 literal", "IP", ip);
        }
    }

    private static byte[] ipv4(String ip) {
        String[] parts = ip.split("\\.", -1);
        byte[] out = new byte[4];
        if (parts.length != 4) {
            throw ipv4Error(ip);
        }
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p.length() > 1 && p.charAt(0) == '0')) {
                throw ipv4Error(ip);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw ipv4Error(ip);
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static InvalidAltNameException ipv4Error(String ip) {
        return new InvalidAltNameException("IP address \"" + ip + "\" is not an IPv4 literal (four numbers 0-255 "
                + "without leading zeros, e.g. 192.0.2.10) nor an IPv6 literal; host names go in DNS names", "IP", ip);
    }
}
