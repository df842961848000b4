package dev.keyline.job;

import java.util.List;

import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.RegistrationRecord;

/**
 * What registering one device came to, one row per target, for the writer.
 *
 * @param ownership for each target it is now REGISTERED with, whether that registration created its thing
 */
record DeviceRegistrations(List<RegistrationRecord> records, List<Deregistrations.Ownership> ownership) {

    DeviceRegistrations {
        records = List.copyOf(records);
        ownership = List.copyOf(ownership);
    }
}
