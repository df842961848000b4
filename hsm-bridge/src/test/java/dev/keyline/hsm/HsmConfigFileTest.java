package dev.keyline.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class HsmConfigFileTest {

    private static final Path SOURCE = Path.of("/etc/keyline/hsm.yaml");

    @Test
    void readsEverySettingAndResolvesPathsFromTheFilesFolder() {
        HsmConfig config = HsmConfigFile.parse(SOURCE, """
                # the CA token
                library: /usr/lib/softhsm/libsofthsm2.so
                token-label: "keyline ca"   # quoted: it has a blank
                pin-file: secrets/hsm.pin
                sessions: 3
                session-timeout-seconds: 5
                """);
        assertThat(config.library()).isEqualTo(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
        assertThat(config.token()).isEqualTo(new TokenSelector.TokenLabel("keyline ca"));
        assertThat(config.pinFile()).contains(Path.of("/etc/keyline/secrets/hsm.pin"));
        assertThat(config.sessions()).isEqualTo(3);
        assertThat(config.borrowTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void defaultsToFourSessionsAndNoPinFile() {
        HsmConfig config = HsmConfigFile.parse(SOURCE, "library: lib.so\nslot-id: 1234\n");
        assertThat(config.token()).isEqualTo(new TokenSelector.SlotId(1234));
        assertThat(config.library()).isEqualTo(Path.of("/etc/keyline/lib.so"));
        assertThat(config.pinFile()).isEmpty();
        assertThat(config.sessions()).isEqualTo(HsmConfig.DEFAULT_SESSIONS);
    }

    @Test
    void rejectsTwoWaysOfChoosingTheToken() {
        assertThatThrownBy(() -> HsmConfigFile.parse(SOURCE, "library: x.so\nslot-index: 0\ntoken-label: ca\n"))
                .isInstanceOf(HsmConfigException.class)
                .hasMessageContaining("exactly one of slot-index, slot-id, token-label")
                .hasMessageContaining("found slot-index, token-label");
    }

    @Test
    void rejectsAnUnknownSettingNamingItAndItsLine() {
        assertThatThrownBy(() -> HsmConfigFile.parse(SOURCE, "library: x.so\ntoken-label: ca\npin: 1234\n"))
                .isInstanceOf(HsmConfigException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown setting `pin`")
                .hasMessageNotContaining("1234");
    }

    @Test
    void rejectsNestedYamlInsteadOfMisreadingIt() {
        assertThatThrownBy(() -> HsmConfigFile.parse(SOURCE, "library: x.so\ntoken:\n  label: ca\n"))
                .isInstanceOf(HsmConfigException.class);
    }

    @Test
    void missingLibraryIsNamed() {
        assertThatThrownBy(() -> HsmConfigFile.parse(SOURCE, "token-label: ca\n"))
                .isInstanceOf(HsmConfigException.class).hasMessageContaining("`library` is missing");
    }

    @Test
    void aNonNumericSlotIdIsNamed() {
        assertThatThrownBy(() -> HsmConfigFile.parse(SOURCE, "library: x.so\nslot-id: first\n"))
                .isInstanceOf(HsmConfigException.class).hasMessageContaining("`slot-id` must be a whole number");
    }
}
