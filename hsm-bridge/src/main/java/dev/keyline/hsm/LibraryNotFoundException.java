package dev.keyline.hsm;

/** The PKCS#11 module named by `library` does not exist or cannot be loaded as a PKCS#11 module. */
public final class LibraryNotFoundException extends HsmException {

    public LibraryNotFoundException(String message) {
        super(message);
    }

    public LibraryNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
