package dev.keyline.job.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.keyline.error.InvalidSettingException;
import dev.keyline.job.BrokerAddress;

/** The broker address as users write it, and how many partitions a remote run gets. */
class PlacementAndPartitionCountTest {

    @Test
    void aBrokerAddressReadsBackAsWrittenAndNeverCarriesAPassword() {
        BrokerAddress a = BrokerAddress.parse("amqp://line-7@mq.factory.example:5673/fab%2Fnorth");
        assertThat(a).isEqualTo(new BrokerAddress("line-7", "mq.factory.example", 5673, "fab/north"));
        assertThat(BrokerAddress.parse(a.toString())).isEqualTo(a);
        assertThat(BrokerAddress.parse("amqp://127.0.0.1")).isEqualTo(new BrokerAddress("guest", "127.0.0.1", 5672, "/"));
        assertThatThrownBy(() -> BrokerAddress.parse("amqp://u:secret@h/")).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("KEYLINE_BROKER_PASSWORD").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> BrokerAddress.parse("http://h/")).hasMessageContaining("amqp://");
        assertThatThrownBy(() -> BrokerAddress.parse("amqp:///vhost")).hasMessageContaining("no host");
    }

    private static WorkerRegistry.WorkerRow worker(int threads, String queue) {
        OffsetDateTime t = OffsetDateTime.parse("2026-12-06T10:00:00Z");
        return new WorkerRegistry.WorkerRow(new WorkerIdentity("id" + threads + queue, "w", "h", 1, threads, queue), t, t,
                0, Optional.empty(), t);
    }

    @Test
    void partitionsAreFourPerWorkerThreadOnTheQueueButNeverSmallerThanAChunk() {
        assertThat(PartitionCount.choose(1_000_000, 500, List.of(worker(2, "q"), worker(3, "q"), worker(8, "x")), "q"))
                .isEqualTo(20);
        assertThat(PartitionCount.choose(1_000_000, 500, List.of(), "q")).isEqualTo(PartitionCount.WITHOUT_WORKERS);
        assertThat(PartitionCount.choose(1_200, 500, List.of(worker(4, "q")), "q")).as("3 chunks").isEqualTo(3);
        assertThat(PartitionCount.choose(0, 500, List.of(worker(4, "q")), "q")).isEqualTo(1);
        assertThat(PartitionCount.choose(100_000_000, 1, List.of(worker(256, "q"), worker(256, "q")), "q"))
                .isEqualTo(PartitionCount.MAX);
    }

    @Test
    void aPartitionRequestIsJsonAndAnythingElseIsRefused() {
        PartitionRequest request = new PartitionRequest("issue-worker", 42, 7);
        assertThat(PartitionRequest.fromJson(request.toJson())).isEqualTo(request);
        assertThatThrownBy(() -> PartitionRequest.fromJson("{\"step\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartitionRequest.fromJson("\u00ac\u00ed\u0000\u0005sr")).isInstanceOf(IllegalArgumentException.class);
    }
}
