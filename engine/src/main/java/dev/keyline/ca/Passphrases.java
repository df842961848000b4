package dev.keyline.ca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the CA passphrase comes from: a file (preferred: it stays out of the process list and shell
 * history) or an environment variable. The value never appears in a message or a log.
 */
public final class Passphrases {

    private Passphrases() {
    }

    /**
     * The passphrase from {@code file} when given (its first line, without the line end), else from the
     * environment variable {@code envVar}.
     *
     * @throws CaException when the file is unreadable or its first line empty, or when neither way is set
     */
    public static char[] resolve(Optional<Path> file, Map<String, String> env, String envVar) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(env, "env");
        if (file.isPresent()) {
            return fromFile(file.get());
        }
        String value = env.get(envVar);
        if (value == null) {
            throw new CaException("no CA passphrase: set the environment variable " + envVar
                    + " or pass --passphrase-file FILE");
        }
        if (value.isEmpty()) {
            throw new CaException("the environment variable " + envVar
                    + " is set but empty: put the CA passphrase in it, or pass --passphrase-file FILE");
        }
        return value.toCharArray();
    }

    private static char[] fromFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CaException("cannot read the passphrase file " + file + " (" + e.getClass().getSimpleName()
                    + "): check that it exists and that this user may read it");
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        Arrays.fill(bytes, (byte) 0);
        int end = 0;
        while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') {
            end++;
        }
        char[] passphrase = new char[end];
        chars.get(passphrase, 0, end);
        Arrays.fill(chars.array(), '\0');
        if (passphrase.length == 0) {
            throw new CaException("the passphrase file " + file + " is empty (or its first line is): "
                    + "write the CA passphrase on its first line");
        }
        return passphrase;
    }
}
