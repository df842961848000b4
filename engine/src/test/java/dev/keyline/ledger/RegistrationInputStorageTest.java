package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;


/** The certificate registration needs is kept as bytes; rows written before, in base64, still register. */
class RegistrationInputStorageTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final byte[] DER = {0x30, (byte) 0x82, 0x01, 0x00, 0x7f, (byte) 0xff, 0x00, 0x41};

    @TempDir
    Path dir;
    private Ledger ledger;
    private JdbcTemplate jdbc;

    @BeforeEach
    void openLedger() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("ledger"));
        dataSource.setUser("sa");
        jdbc = new JdbcTemplate(dataSource);
        ledger = Ledger.open(dataSource);
    }

    @Test
    void theCertificateIsStoredAsBytesAndReadBackUnchanged() {
        ledger.identities().recordIssued(List.of(entry("dev-1")));

        List<RegistrationCandidate> candidates = ledger.pendingRegistrations().registrationCandidates("out-1", null, 10);
        assertThat(candidates).hasSize(1);
        assertThat(candidates.get(0).input().certificateDer()).isEqualTo(DER);
        assertThat(candidates.get(0).input().thingType()).contains("sensor");
        assertThat(candidates.get(0).input().attributes()).containsEntry("line", "7");
        assertThat(jdbc.queryForObject("SELECT certificate_der FROM device_identity", String.class))
                .as("no second, base64 copy").isNull();
        assertThat(ledger.pendingRegistrations().countWithoutRegistrationInput("out-1")).isZero();
        assertThat(ledger.pendingRegistrations().countPendingRegistrations("out-1", "prod", true)).isEqualTo(1);
    }

    @Test
    void aRowWrittenInBase64BeforeStillRegisters() {
        ledger.identities().recordIssued(List.of(entry("dev-old"), entry("dev-none")));
        jdbc.update("UPDATE device_identity SET certificate = NULL, certificate_der = ? WHERE device_id = 'dev-old'",
                Base64.getEncoder().encodeToString(DER));
        jdbc.update("UPDATE device_identity SET certificate = NULL, certificate_der = NULL WHERE device_id = 'dev-none'");

        List<RegistrationCandidate> candidates = ledger.pendingRegistrations().registrationCandidates("out-1", null, 10);
        assertThat(candidates).extracting(RegistrationCandidate::deviceId).containsExactly("dev-old");
        assertThat(candidates.get(0).input().certificateDer()).isEqualTo(DER);
        assertThat(ledger.pendingRegistrations().countWithoutRegistrationInput("out-1")).isEqualTo(1);
        assertThat(ledger.pendingRegistrations().countPendingRegistrations("out-1", "prod", true)).isEqualTo(1);
    }

    @Test
    void noAttributesAreStoredAsAnEmptyJsonObjectAndOthersAsTheirJson() {
        Map<String, String> quoted = new java.util.LinkedHashMap<>();
        quoted.put("line", "7 \"north\"");
        quoted.put("zone", "b;c");
        ledger.identities().recordIssued(List.of(entry("dev-plain", Map.of()), entry("dev-quoted", quoted)));

        assertThat(jdbc.queryForObject("SELECT attributes FROM device_identity WHERE device_id = 'dev-plain'", String.class))
                .isEqualTo("{}");
        assertThat(jdbc.queryForObject("SELECT attributes FROM device_identity WHERE device_id = 'dev-quoted'", String.class))
                .isEqualTo("{\"line\":\"7 \\\"north\\\"\",\"zone\":\"b;c\"}");
        List<RegistrationCandidate> candidates = ledger.pendingRegistrations().registrationCandidates("out-1", null, 10);
        assertThat(candidates).extracting(RegistrationCandidate::deviceId).containsExactly("dev-plain", "dev-quoted");
        assertThat(candidates.get(0).input().attributes()).isEmpty();
        assertThat(candidates.get(1).input().attributes()).containsExactlyEntriesOf(quoted);
    }

    private static LedgerEntry entry(String deviceId) {
        return entry(deviceId, Map.of("line", "7"));
    }

    private static LedgerEntry entry(String deviceId, Map<String, String> attributes) {
        return new LedgerEntry("out-1", deviceId, 1, 1, deviceId.length(), 2, deviceId,
                String.format("%064x", deviceId.hashCode() & 0xffffffffL), "1a2b", "a".repeat(64), NOW,
                NOW.plusSeconds(3600), "ec-p256", "BUNDLE", "bundles/" + deviceId, "",
                LedgerEntry.IdentityStatus.ISSUED, NOW, Optional.of(new RegistrationInput(DER, Optional.of("sensor"),
                        List.of(), attributes, List.of())));
    }
}
