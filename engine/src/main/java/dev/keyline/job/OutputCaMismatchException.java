package dev.keyline.job;

import java.nio.file.Path;

import dev.keyline.error.KeylineException;

/**
 * The output holds devices of another CA than the one about to sign: its manifest has no issuer column and
 * {@code register} sends every device with one CA certificate, so a second CA in one output would be silent trouble.
 */
public class OutputCaMismatchException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public OutputCaMismatchException(Path out, OutputCa bound, OutputCa signing) {
        super(Kind.CONFIGURATION, "the output " + out + " holds devices issued by the CA " + bound.describe()
                + ", not by the CA given now, " + signing.describe() + ": an output holds the devices of one CA; "
                + "use another --out for this CA (or the other CA for this output)");
    }
}
