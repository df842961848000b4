package dev.keyline.job;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationRecord;

/**
 * Records a chunk's registration outcomes in {@code device_registration}, in the chunk's transaction, together
 * with the reader's position. If the process dies before the commit, the chunk's devices are registered again on
 * restart, which AWS answers as "already registered": they end REGISTERED once, with the same ARN.
 */
// Not final: step-scoped beans are class-based proxies.
public class RegisterItemWriter implements ItemWriter<DeviceRegistrations> {

    private final Ledger ledger;

    public RegisterItemWriter(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void write(Chunk<? extends DeviceRegistrations> chunk) {
        List<RegistrationRecord> records = new ArrayList<>();
        for (DeviceRegistrations device : chunk) {
            records.addAll(device.records());
        }
        ledger.recordRegistrations(records);
    }
}
