package dev.keyline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Certificate signing requests made by openssl, as a device would make them. */
public final class Csrs {

    private Csrs() {
    }

    /** A CSR made by openssl, its key in {@code dir/name.key}; {@code newKey}: ec (P-256) or openssl's rsa:BITS. */
    public static String csr(Path dir, String name, String newKey, String subject) {
        Path key = dir.resolve(name + ".key");
        Path req = dir.resolve(name + ".csr");
        List<String> args = new ArrayList<>(List.of("req", "-new", "-newkey", newKey, "-nodes", "-keyout",
                key.toString(), "-out", req.toString(), "-subj", subject));
        if (newKey.equals("ec")) {
            args.addAll(List.of("-pkeyopt", "ec_paramgen_curve:P-256"));
        }
        IndependentVerifier.openssl(args.toArray(String[]::new));
        try {
            return Files.readString(req);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
