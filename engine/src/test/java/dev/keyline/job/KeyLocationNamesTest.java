package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.keyline.keys.KeyLocation;
import dev.keyline.ledger.LedgerEntry;

/**
 * The ledger stores a key location by its domain name and knows one of them itself, the device-made key, whose public
 * key it indexes for the CSR duplicate check: the two spellings must agree, and every name must fit its column.
 */
class KeyLocationNamesTest {

    @Test
    void theLedgersDeviceMadeKeyIsTheDomainsDeviceLocation() {
        assertThat(LedgerEntry.DEVICE_MADE_KEY).isEqualTo(KeyLocation.DEVICE.name());
    }

    @Test
    void everyLocationFitsTheLedgersColumn() {
        for (KeyLocation location : KeyLocation.values()) {
            assertThat(location.name().length()).as(location.name()).isLessThanOrEqualTo(16); // key_location VARCHAR(16)
        }
    }
}
