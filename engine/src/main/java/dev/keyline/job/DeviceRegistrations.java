package dev.keyline.job;

import java.util.List;

import dev.keyline.ledger.RegistrationRecord;

/** What registering one device came to, one row per target, for the writer. */
record DeviceRegistrations(List<RegistrationRecord> records) {

    DeviceRegistrations {
        records = List.copyOf(records);
    }
}
