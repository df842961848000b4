package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleOptionsTest {

    private static final Path OUT = Path.of("out");

    @Test
    void pkcs12WithoutAPassphraseIsRefusedAtConfigurationTime() {
        assertThatThrownBy(() -> new BundleOptions(OUT, Optional.empty(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS#12").hasMessageContaining("passphrase");
    }

    @Test
    void anEmptyPassphraseIsRefused() {
        assertThatThrownBy(() -> new BundleOptions(OUT, Optional.of(new char[0]), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void iterationCountOutsideTheSafeRangeIsRefused() {
        BundleOptions options = new BundleOptions(OUT, Optional.empty(), false);
        assertThatThrownBy(() -> options.withPbkdf2Iterations(999)).hasMessageContaining("between 1000 and 5000000");
        assertThatThrownBy(() -> options.withPbkdf2Iterations(5_000_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threeArgumentFormUsesDefaultIterationsAndAutoDurability() {
        BundleOptions options = new BundleOptions(OUT, Optional.empty(), false);
        assertThat(options.pbkdf2Iterations()).isEqualTo(600_000);
        assertThat(options.durability()).isEqualTo(DurabilityMode.AUTO);
    }

    @Test
    void toStringRedactsThePassphrase() {
        BundleOptions options = new BundleOptions(OUT, Optional.of("s3cret-phrase".toCharArray()), true);
        assertThat(options.toString()).doesNotContain("s3cret").contains("passphrase=<redacted>", "pkcs12=true");
        assertThat(new BundleOptions(OUT, Optional.empty(), false).toString()).contains("passphrase=<none>");
    }
}
