package dev.keyline.hsm;

import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** The key types Keyline generates in a token. */
public enum TokenKeyType {
    EC_P256("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA"),
    EC_P384("EC", new ECGenParameterSpec("secp384r1"), "SHA384withECDSA"),
    RSA_2048("RSA", new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), "SHA256withRSA"),
    RSA_3072("RSA", new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), "SHA256withRSA"),
    RSA_4096("RSA", new RSAKeyGenParameterSpec(4096, RSAKeyGenParameterSpec.F4), "SHA256withRSA");

    private final String jcaName;
    private final AlgorithmParameterSpec parameters;
    private final String defaultSignature;

    TokenKeyType(String jcaName, AlgorithmParameterSpec parameters, String defaultSignature) {
        this.jcaName = jcaName;
        this.parameters = parameters;
        this.defaultSignature = defaultSignature;
    }

    /** {@code EC} or {@code RSA}. */
    public String jcaName() {
        return jcaName;
    }

    AlgorithmParameterSpec parameters() {
        return parameters;
    }

    /** The JCA signature the key's strength suggests, e.g. {@code SHA384withECDSA} for P-384. */
    public String defaultSignature() {
        return defaultSignature;
    }
}
