package dev.keyline.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphrasesTest {

    private static final String VAR = "KEYLINE_CA_PASSPHRASE";

    @TempDir
    Path dir;

    @Test
    void readsTheFirstLineOfTheFileWithoutItsLineEnd() throws Exception {
        Path file = Files.writeString(dir.resolve("pass"), "s3cret pass\r\nsecond line\n");
        assertThat(Passphrases.resolve(Optional.of(file), Map.of(), VAR)).containsExactly("s3cret pass".toCharArray());
    }

    @Test
    void readsUtf8Passphrases() throws Exception {
        Path file = Files.write(dir.resolve("pass"), "Gerät\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(Passphrases.resolve(Optional.of(file), Map.of(), VAR))).isEqualTo("Gerät");
    }

    @Test
    void fileTakesPrecedenceOverTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("pass"), "from-file");
        assertThat(Passphrases.resolve(Optional.of(file), Map.of(VAR, "from-env"), VAR))
                .containsExactly("from-file".toCharArray());
    }

    @Test
    void fallsBackToTheEnvironmentVariable() {
        assertThat(Passphrases.resolve(Optional.empty(), Map.of(VAR, "from-env"), VAR))
                .containsExactly("from-env".toCharArray());
    }

    @Test
    void refusesAnEmptyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pass"), "\nsecond");
        assertThatThrownBy(() -> Passphrases.resolve(Optional.of(file), Map.of(), VAR))
                .isInstanceOf(CaException.class).hasMessageContaining(file.toString()).hasMessageContaining("empty");
    }

    @Test
    void refusesAnUnreadableFileNamingIt() {
        Path file = dir.resolve("missing");
        assertThatThrownBy(() -> Passphrases.resolve(Optional.of(file), Map.of(VAR, "ignored"), VAR))
                .isInstanceOf(CaException.class).hasMessageContaining("cannot read the passphrase file " + file);
    }

    @Test
    void withNeitherFileNorVariableNamesBothWays() {
        assertThatThrownBy(() -> Passphrases.resolve(Optional.empty(), Map.of(), VAR))
                .isInstanceOf(CaException.class).hasMessageContaining(VAR).hasMessageContaining("--passphrase-file");
    }

    @Test
    void refusesAnEmptyVariable() {
        assertThatThrownBy(() -> Passphrases.resolve(Optional.empty(), Map.of(VAR, ""), VAR))
                .isInstanceOf(CaException.class).hasMessageContaining(VAR + " is set but empty");
    }
}
