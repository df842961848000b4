package dev.keyline.hsm;

/** Every signer of a {@link SignerPool} stayed busy for longer than the borrow timeout. */
public final class SignerPoolExhaustedException extends HsmException {

    public SignerPoolExhaustedException(String message) {
        super(message);
    }

    public SignerPoolExhaustedException(String message, Throwable cause) {
        super(message, cause);
    }
}
