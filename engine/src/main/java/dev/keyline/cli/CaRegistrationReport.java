package dev.keyline.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.keyline.aws.CaRegistrations;
import dev.keyline.aws.RegisteredCa;
import dev.keyline.text.Counted;

/** How the CA registration commands print what they did and what AWS IoT holds. */
final class CaRegistrationReport {

    private CaRegistrationReport() {
    }

    /** One account's outcome: what was done, the CA as AWS now holds it, and notes. */
    static List<String> outcome(CaRegistrations.Outcome outcome) {
        CaRegistrations.Action action = outcome.action();
        RegisteredCa ca = outcome.registered();
        String what = switch (action.kind()) {
            case REGISTER -> "registered as " + ca.summary();
            case NOTHING -> "already registered as " + ca.summary() + ": nothing to do";
            case UPDATE -> "updated (" + String.join("; ", action.changes()) + "): " + ca.summary();
            case REPLACE -> "replaced the " + action.current().orElseThrow().mode() + " registration: now " + ca.summary();
        };
        List<String> lines = new ArrayList<>();
        lines.add("  " + action.plan().describeWhere() + ": " + what);
        lines.add("    " + ca.arn());
        outcome.notes().forEach(n -> lines.add("    note: " + n));
        return lines;
    }

    static String summary(int accounts, int failed) {
        return Counted.of(accounts, "account") + ": " + (accounts - failed) + " as planned, " + failed + " failed";
    }

    /** DescribeCACertificate's answer for people. */
    static List<String> description(RegisteredCa ca) {
        List<String> lines = new ArrayList<>();
        lines.add("  certificate ARN:   " + ca.arn());
        lines.add("  status:            " + ca.status());
        lines.add("  mode:              " + ca.mode());
        lines.add("  auto-registration: " + (ca.autoRegistration() ? "ENABLE" : "DISABLE"));
        if (ca.templateBody().isPresent()) {
            String body = ca.templateBody().get().strip().replaceAll("\\s+", " ");
            lines.add("  JITP template:     " + (body.length() > 100 ? body.substring(0, 100) + "... (" + body.length()
                    + " characters)" : body));
        } else if (ca.templateName().isPresent()) {
            lines.add("  JITP template:     " + ca.templateName().get() + " (a provisioning template by name)");
        } else {
            lines.add("  JITP template:     none");
        }
        ca.roleArn().ifPresent(r -> lines.add("  provisioning role: " + r));
        lines.add("  validity:          " + text(ca.notBefore()) + " to " + text(ca.notAfter()));
        ca.created().ifPresent(c -> lines.add("  registered:        " + c));
        return lines;
    }

    private static String text(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse("?");
    }
}
