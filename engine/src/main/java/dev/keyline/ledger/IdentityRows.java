package dev.keyline.ledger;

import static dev.keyline.ledger.Columns.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one mapping of {@code device_identity} to {@link LedgerEntry}: its columns, written and read in the order
 * listed here. Read by position, not by name: a name costs H2 a map lookup per column and row, 4% of a
 * 1,000,000-row export.
 */
final class IdentityRows {

    static final String TABLE = "device_identity";

    /**
     * Built on first use, not when the ledger opens: Jackson loads some 400 classes, and commands that only count
     * rows ({@code keyline status}) never read or write attributes.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder().build();
        static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() { };
    }

    /** Every column but the registration input's: what the export reads. */
    static final Columns<LedgerEntry> CORE = Columns.<LedgerEntry>of()
            .text("output_id", LedgerEntry::outputId)
            .text("device_id", LedgerEntry::deviceId)
            .number("job_instance_id", LedgerEntry::jobInstanceId)
            .number("job_execution_id", LedgerEntry::jobExecutionId)
            .number("row_index", LedgerEntry::rowIndex)
            .number("source_line", LedgerEntry::sourceLine)
            .text("thing_name", LedgerEntry::thingName)
            .text("certificate_id", LedgerEntry::certificateId)
            .text("serial_hex", LedgerEntry::serialHex)
            .text("public_key_sha256", LedgerEntry::publicKeySha256)
            .time("not_before", LedgerEntry::notBefore)
            .time("not_after", LedgerEntry::notAfter)
            .text("key_algorithm", LedgerEntry::keyAlgorithm)
            .text("key_location", LedgerEntry::keyLocation)
            .text("bundle_path", LedgerEntry::bundlePath)
            .text("bundle_sums", LedgerEntry::bundleSums)
            .text("status", e -> e.status().name())
            .time("issued_at", LedgerEntry::issuedAt);

    /**
     * What registration needs. thing_groups and accounts are {@code ;}-delimited with a leading and trailing
     * {@code ;}, so that {@code accounts LIKE '%;name;%'} finds one name exactly; attributes are a JSON object.
     */
    static final Columns<LedgerEntry> INPUT = Columns.<LedgerEntry>of()
            .column("certificate", (ps, i, e) -> ps.setBytes(i, e.registration().map(RegistrationInput::certificateDer).orElse(null)))
            .text("thing_type", e -> e.registration().flatMap(RegistrationInput::thingType).orElse(null))
            .text("thing_groups", e -> e.registration().map(r -> delimited(r.thingGroups())).orElse(null))
            .text("attributes", e -> e.registration().map(r -> attributes(r.attributes())).orElse(null))
            .text("accounts", e -> e.registration().map(r -> delimited(r.accounts())).orElse(null));

    /** What an insert writes. */
    static final Columns<LedgerEntry> WRITTEN = CORE.plus(INPUT);

    /** The certificate in base64, as rows written before the binary column have it: read, never written. */
    private static final String CERTIFICATE_BASE64 = "certificate_der";

    /** A row carries what registration needs: the certificate, as bytes or (rows written before) in base64. */
    static final String HAS_INPUT = hasInput("");

    private static final int OUTPUT_ID = CORE.at("output_id");
    private static final int DEVICE_ID = CORE.at("device_id");
    private static final int JOB_INSTANCE_ID = CORE.at("job_instance_id");
    private static final int JOB_EXECUTION_ID = CORE.at("job_execution_id");
    private static final int ROW_INDEX = CORE.at("row_index");
    private static final int SOURCE_LINE = CORE.at("source_line");
    private static final int THING_NAME = CORE.at("thing_name");
    private static final int CERTIFICATE_ID = CORE.at("certificate_id");
    private static final int SERIAL_HEX = CORE.at("serial_hex");
    private static final int PUBLIC_KEY_SHA256 = CORE.at("public_key_sha256");
    private static final int NOT_BEFORE = CORE.at("not_before");
    private static final int NOT_AFTER = CORE.at("not_after");
    private static final int KEY_ALGORITHM = CORE.at("key_algorithm");
    private static final int KEY_LOCATION = CORE.at("key_location");
    private static final int BUNDLE_PATH = CORE.at("bundle_path");
    private static final int BUNDLE_SUMS = CORE.at("bundle_sums");
    private static final int STATUS = CORE.at("status");
    private static final int ISSUED_AT = CORE.at("issued_at");
    private static final int CERTIFICATE = WRITTEN.at("certificate");
    private static final int THING_TYPE = WRITTEN.at("thing_type");
    private static final int THING_GROUPS = WRITTEN.at("thing_groups");
    private static final int ATTRIBUTES_JSON = WRITTEN.at("attributes");
    private static final int ACCOUNTS = WRITTEN.at("accounts");
    private static final int CERTIFICATE_BASE64_AT = WRITTEN.size() + 1;

    private IdentityRows() {
    }

    /** The SELECT list {@link #read} reads with the registration input: every column, each after {@code prefix}. */
    static String all(String prefix) {
        return WRITTEN.names(prefix) + ", " + prefix + CERTIFICATE_BASE64;
    }

    /** The SELECT list {@link #read} reads without the registration input. */
    static String core(String prefix) {
        return CORE.names(prefix);
    }

    /** The condition of {@link #HAS_INPUT} on columns named after {@code prefix}. */
    static String hasInput(String prefix) {
        return "(" + prefix + "certificate IS NOT NULL OR " + prefix + CERTIFICATE_BASE64 + " IS NOT NULL)";
    }

    /** How many columns {@link #all} lists. */
    static int allSize() {
        return WRITTEN.size() + 1;
    }

    /**
     * The identity of a result set whose columns from {@code offset + 1} on are {@link #all} ({@code withInput}) or
     * {@link #core}.
     */
    static LedgerEntry read(ResultSet rs, int offset, boolean withInput) throws SQLException {
        int o = offset;
        return new LedgerEntry(rs.getString(o + OUTPUT_ID), rs.getString(o + DEVICE_ID), rs.getLong(o + JOB_INSTANCE_ID),
                rs.getLong(o + JOB_EXECUTION_ID), rs.getLong(o + ROW_INDEX), rs.getLong(o + SOURCE_LINE),
                rs.getString(o + THING_NAME), rs.getString(o + CERTIFICATE_ID), rs.getString(o + SERIAL_HEX),
                rs.getString(o + PUBLIC_KEY_SHA256), instant(rs, o + NOT_BEFORE), instant(rs, o + NOT_AFTER),
                rs.getString(o + KEY_ALGORITHM), rs.getString(o + KEY_LOCATION), rs.getString(o + BUNDLE_PATH),
                rs.getString(o + BUNDLE_SUMS), LedgerEntry.IdentityStatus.valueOf(rs.getString(o + STATUS)),
                instant(rs, o + ISSUED_AT), withInput ? registrationInput(rs, o) : Optional.empty());
    }

    private static Optional<RegistrationInput> registrationInput(ResultSet rs, int o) throws SQLException {
        byte[] der = rs.getBytes(o + CERTIFICATE);
        if (der == null) {
            String base64 = rs.getString(o + CERTIFICATE_BASE64_AT); // a row written before the binary column
            if (base64 == null) {
                return Optional.empty();
            }
            der = Base64.getDecoder().decode(base64);
        }
        String attributes = rs.getString(o + ATTRIBUTES_JSON);
        return Optional.of(new RegistrationInput(der, Optional.ofNullable(rs.getString(o + THING_TYPE)),
                undelimited(rs.getString(o + THING_GROUPS)),
                attributes == null ? Map.of() : Json.MAPPER.readValue(attributes, Json.ATTRIBUTES), undelimited(rs.getString(o + ACCOUNTS))));
    }

    /**
     * The attributes as a JSON object. Most manifests have none: their {@code {}} is a constant, not a serialiser's
     * work per device (1.5% of the issuing worker's time on 100,000 devices).
     */
    static String attributes(Map<String, String> attributes) {
        return attributes.isEmpty() ? "{}" : Json.MAPPER.writeValueAsString(attributes);
    }

    /** {@code ;a;b;}: a leading and trailing separator, so that {@code LIKE '%;a;%'} finds one name exactly. */
    static String delimited(List<String> names) {
        return names.isEmpty() ? null : ";" + String.join(";", names) + ";";
    }

    static List<String> undelimited(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(";")).filter(s -> !s.isEmpty()).toList();
    }
}
