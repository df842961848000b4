package dev.keyline.hsm;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.RuntimeOperatorException;

/** One signature in the token, as Bouncy Castle's {@link ContentSigner}. Not thread-safe; use once. */
final class TokenContentSigner implements ContentSigner {

    private final SignerPool pool;
    private final AlgorithmIdentifier algorithmIdentifier;
    private final ByteArrayOutputStream toBeSigned = new ByteArrayOutputStream(512);

    TokenContentSigner(SignerPool pool, AlgorithmIdentifier algorithmIdentifier) {
        this.pool = pool;
        this.algorithmIdentifier = algorithmIdentifier;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithmIdentifier;
    }

    @Override
    public OutputStream getOutputStream() {
        return toBeSigned;
    }

    @Override
    public byte[] getSignature() {
        try {
            return pool.sign(toBeSigned.toByteArray());
        } catch (HsmException e) {
            // Bouncy Castle's builders expect this type; the HsmException stays as the cause with its reason.
            throw new RuntimeOperatorException(e.getMessage(), e);
        }
    }
}
