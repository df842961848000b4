package dev.keyline.job;

import java.io.OutputStream;
import java.security.ProviderException;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;

import dev.keyline.ca.CaSigner;

/** Signs through the real signer until its budget runs out, then fails the way SunPKCS11 does. */
record FailingSigner(CaSigner delegate, AtomicInteger budget) implements CaSigner {

    @Override
    public ContentSigner newContentSigner() {
        if (budget.getAndDecrement() <= 0) {
            throw new ProviderException("sun.security.pkcs11.wrapper.PKCS11Exception: CKR_DEVICE_REMOVED");
        }
        ContentSigner real = delegate.newContentSigner();
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return real.getAlgorithmIdentifier();
            }

            @Override
            public OutputStream getOutputStream() {
                return real.getOutputStream();
            }

            @Override
            public byte[] getSignature() {
                return real.getSignature();
            }
        };
    }

    @Override
    public PublicKey publicKey() {
        return delegate.publicKey();
    }

    @Override
    public String signatureAlgorithm() {
        return delegate.signatureAlgorithm();
    }

    /** Every message of a failure and its causes, for asserting that the token error is named. */
    static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
