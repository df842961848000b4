package dev.keyline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

/** What every interrupted-then-resumed run must end with, read from the ledger file. */
public final class ExactlyOnce {

    private ExactlyOnce() {
    }

    /**
     * Every device issued once, certificate ids unique, and each device committed before the interruption keeping its
     * certificate.
     *
     * @return the ledger after the resumption: device id → certificate id
     */
    public static Map<String, String> afterResume(Path out, int devices, Map<String, String> committedBefore)
            throws SQLException {
        Map<String, String> after = LedgerFile.certificateIds(out);
        assertThat(after).hasSize(devices);
        assertThat(Set.copyOf(after.values())).as("certificate ids are unique").hasSize(devices);
        committedBefore.forEach((device, certificateId) -> assertThat(after.get(device))
                .as("%s keeps the certificate of its committed chunk", device).isEqualTo(certificateId));
        return after;
    }
}
