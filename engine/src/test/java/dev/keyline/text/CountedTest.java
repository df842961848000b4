package dev.keyline.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountedTest {

    @Test
    void oneIsSingularAndEveryOtherCountPlural() {
        assertThat(Counted.of(1, "device")).isEqualTo("1 device");
        assertThat(Counted.of(0, "device")).isEqualTo("0 devices");
        assertThat(Counted.of(1_000, "device")).isEqualTo("1,000 devices");
        assertThat(Counted.of(1, "device was", "devices were")).isEqualTo("1 device was");
        assertThat(Counted.of(2, "batch", "batches")).isEqualTo("2 batches");
    }
}
