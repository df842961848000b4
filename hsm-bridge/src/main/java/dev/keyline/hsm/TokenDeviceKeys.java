package dev.keyline.hsm;

import static dev.keyline.hsm.Pkcs11Constants.*;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.keyline.hsm.JdkInternalPkcs11.Attribute;

/**
 * Device keys made in a token, one pair per device, labelled with the device's id. Two ways out:
 * <ul>
 * <li>{@link #generateKept}: token objects that stay (private half sensitive, never extractable, sign only), with
 * CKA_ID = SHA-1 of the public key, so the certificate's subjectKeyIdentifier names them;</li>
 * <li>{@link #generateWrapped}: a session object, sensitive but extractable, wrapped under an AES key of the token
 * (RFC 5649) and destroyed at once, so nothing of it stays in the token and the token does not fill up.</li>
 * </ul>
 * Raw PKCS#11 calls through the JDK's binding (see {@link JdkInternalPkcs11} for why), on a bounded pool of the
 * configuration's {@code sessions} sessions. Shares the login of the {@link Pkcs11Token} it comes from.
 * Thread-safe. Nothing here logs or returns a private key value; messages name labels and CKR_ codes only.
 */
public final class TokenDeviceKeys implements AutoCloseable {

    private final JdkInternalPkcs11 module;
    private final long slotId;
    private final String description;
    private final String tokenLabel;
    private final TokenSessions sessions;

    TokenDeviceKeys(JdkInternalPkcs11 module, long slotId, String description, String tokenLabel, int sessions,
            Duration timeout) {
        this.module = module;
        this.slotId = slotId;
        this.description = description;
        this.tokenLabel = tokenLabel;
        this.sessions = new TokenSessions(module, slotId, description, sessions, timeout);
    }

    /** The token's label, as the bundle's key reference names it. */
    public String tokenLabel() {
        return tokenLabel;
    }

    /**
     * Generates a key pair kept in the token under {@code label}. Does not look for an existing key with the same
     * label: callers that may retry decide what to do with one first ({@link #countKeys}, {@link #destroyKeys}).
     *
     * @throws Pkcs11CallException when the token refuses (the CKR_ code names why)
     */
    public KeptKey generateKept(TokenKeyType type, String label) {
        return sessions.with(session -> {
            // Made as session objects, then copied into the token with the CKA_ID the public key gives: each token
            // object is written once. (Generating token objects and then setting CKA_ID rewrote both, which on
            // SoftHSM's file store doubled the disk flushes that bound its rate.)
            Generated pair = generate(session, type, label, false, false);
            long privateCopy = -1;
            try {
                byte[] id = TokenPublicKeys.keyIdentifier(pair.publicKey());
                List<Attribute> toToken = List.of(new Attribute(CKA_TOKEN, true), new Attribute(CKA_ID, id));
                privateCopy = module.copyObject(session, pair.privateHandle(), toToken);
                module.copyObject(session, pair.publicHandle(), toToken);
                return new KeptKey(label, id, pair.publicKey());
            } catch (RuntimeException e) {
                if (privateCopy != -1) {
                    try {
                        module.destroyObject(session, privateCopy);
                    } catch (HsmException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            } finally {
                destroyQuietly(session, pair, null);
            }
        });
    }

    /**
     * Generates a key pair as session objects, wraps the private key under {@code wrappingKey} and destroys both
     * halves (also when wrapping fails), so the token holds nothing of the device key afterwards.
     *
     * @throws Pkcs11CallException when the token refuses (the CKR_ code names why)
     */
    public WrappedKey generateWrapped(TokenKeyType type, String label, WrappingKey wrappingKey) {
        Objects.requireNonNull(wrappingKey, "wrappingKey");
        return sessions.with(session -> {
            Generated pair = generate(session, type, label, false, true);
            Throwable failure = null;
            try {
                byte[] wrapped = module.wrapKey(session, wrappingKey.mechanism().code(), wrappingKey.handle(),
                        pair.privateHandle());
                return new WrappedKey(label, pair.publicKey(), wrapped, wrappingKey.mechanism(), wrappingKey.label());
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                destroyQuietly(session, pair, failure);
            }
        });
    }

    /**
     * The AES key labelled {@code label} to wrap device keys under, checked now so that a missing key or a token
     * without the mechanism stops a run before any device key is made.
     *
     * @throws TokenKeyNotFoundException when the token holds no such AES key, or it may not wrap (CKA_WRAP false)
     * @throws HsmException              when the token does not offer {@code mechanism} for wrapping
     */
    public WrappingKey wrappingKey(String label, WrapMechanism mechanism) {
        long flags = module.mechanismFlags(slotId, mechanism.code());
        if (flags < 0 || (flags & CKF_WRAP) == 0) {
            throw new HsmException("the token " + description + " does not offer " + mechanism.pkcs11Name()
                    + (flags < 0 ? "" : " for wrapping") + ", which device keys are exported with: choose the other RFC 5649 "
                    + "mechanism your HSM names (CKM_AES_KEY_WRAP_PAD or CKM_AES_KEY_WRAP_KWP), or keep the keys in the token");
        }
        return sessions.with(session -> {
            long[] found = module.findObjects(session, List.of(new Attribute(CKA_CLASS, CKO_SECRET_KEY),
                    new Attribute(CKA_LABEL, utf8(label))), 2);
            if (found.length == 0) {
                throw new TokenKeyNotFoundException("the token " + description + " holds no secret key labelled \""
                        + label + "\" to wrap device keys under: create a 256-bit AES wrapping key there (SoftHSM: "
                        + "pkcs11-tool --login --keygen --key-type AES:32 --label " + label + " --usage-wrap --sensitive) "
                        + "or correct the label in the profile");
            }
            if (found.length > 1) {
                throw new HsmException("the token " + description + " holds more than one secret key labelled \"" + label
                        + "\": the wrapping key must be unambiguous; give one a different label");
            }
            Object[] values = module.getAttributes(session, found[0], CKA_KEY_TYPE, CKA_WRAP);
            if (!Long.valueOf(CKK_AES).equals(values[0])) {
                throw new TokenKeyNotFoundException("the secret key \"" + label + "\" in the token " + description
                        + " is not an AES key: device keys are wrapped under AES (RFC 5649)");
            }
            if (!Boolean.TRUE.equals(values[1])) {
                throw new TokenKeyNotFoundException("the AES key \"" + label + "\" in the token " + description
                        + " may not wrap (CKA_WRAP is false): make a wrapping key with CKA_WRAP true (pkcs11-tool --usage-wrap)");
            }
            return new WrappingKey(label, mechanism, found[0]);
        });
    }

    /**
     * The labels of every private key in the token (one pass, for a run's start: searching by label per device
     * would cost a scan of the token per device on modules that do not index labels, SoftHSM among them).
     */
    public java.util.Set<String> privateKeyLabels() {
        return sessions.with(session -> {
            java.util.Set<String> labels = new java.util.HashSet<>();
            for (long handle : module.findAllObjects(session, List.of(new Attribute(CKA_CLASS, CKO_PRIVATE_KEY)))) {
                Object label = module.getAttributes(session, handle, CKA_LABEL)[0];
                if (label instanceof char[] chars) {
                    labels.add(new String(chars));
                } else if (label instanceof byte[] bytes) {
                    labels.add(new String(bytes, StandardCharsets.UTF_8));
                }
            }
            return labels;
        });
    }

    /** How many public and private key objects (token or session) carry {@code label}. */
    public int countKeys(String label) {
        return sessions.with(session -> keysLabelled(session, label).size());
    }

    /**
     * Destroys every public and private key object labelled {@code label}: what an earlier attempt for the same
     * device left. Certificates and secret keys with the label are left alone.
     *
     * @return how many objects were destroyed
     */
    public int destroyKeys(String label) {
        return sessions.with(session -> {
            List<Long> handles = keysLabelled(session, label);
            for (long handle : handles) {
                module.destroyObject(session, handle);
            }
            return handles.size();
        });
    }

    /** Closes this object's sessions (session objects, if any were left, go with them). */
    @Override
    public void close() {
        sessions.close();
    }

    @Override
    public String toString() {
        return "TokenDeviceKeys[" + description + "]";
    }

    // ---- package-private, for the tests of this module -------------------------------------------------

    /** Generates a pair as {@link #generateWrapped} does, without wrapping, and reports its private key's attributes. */
    KeyAttributes attributesOfWrappableKey(TokenKeyType type, String label) {
        return sessions.with(session -> {
            Generated pair = generate(session, type, label, false, true);
            try {
                Object[] v = module.getAttributes(session, pair.privateHandle(), CKA_TOKEN, CKA_SENSITIVE, CKA_EXTRACTABLE);
                return new KeyAttributes((Boolean) v[0], (Boolean) v[1], (Boolean) v[2]);
            } finally {
                destroyQuietly(session, pair, null);
            }
        });
    }

    // ---- inside --------------------------------------------------------------------------------------

    private record Generated(long publicHandle, long privateHandle, PublicKey publicKey) {
    }

    private Generated generate(long session, TokenKeyType type, String label, boolean tokenObject, boolean extractable) {
        Objects.requireNonNull(type, "type");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("a device key needs a label (the device id)");
        }
        byte[] labelBytes = utf8(label);
        boolean ec = TokenPublicKeys.isEc(type);
        long keyType = ec ? CKK_EC : CKK_RSA;
        List<Attribute> publicTemplate = new ArrayList<>(List.of(
                new Attribute(CKA_CLASS, CKO_PUBLIC_KEY),
                new Attribute(CKA_KEY_TYPE, keyType),
                new Attribute(CKA_TOKEN, tokenObject),
                new Attribute(CKA_PRIVATE, false),
                new Attribute(CKA_VERIFY, true),
                new Attribute(CKA_ENCRYPT, false),
                new Attribute(CKA_WRAP, false),
                new Attribute(CKA_LABEL, labelBytes),
                // replaced by the key identifier once the public key is known (kept keys)
                new Attribute(CKA_ID, labelBytes)));
        if (ec) {
            publicTemplate.add(new Attribute(CKA_EC_PARAMS, TokenPublicKeys.ecParameters(type)));
        } else {
            publicTemplate.add(new Attribute(CKA_MODULUS_BITS, (long) TokenPublicKeys.rsaBits(type)));
            publicTemplate.add(new Attribute(CKA_PUBLIC_EXPONENT, new byte[] {1, 0, 1}));
        }
        List<Attribute> privateTemplate = new ArrayList<>(List.of(
                new Attribute(CKA_CLASS, CKO_PRIVATE_KEY),
                new Attribute(CKA_KEY_TYPE, keyType),
                new Attribute(CKA_TOKEN, tokenObject),
                new Attribute(CKA_PRIVATE, true),
                new Attribute(CKA_SENSITIVE, true),
                new Attribute(CKA_EXTRACTABLE, extractable),
                new Attribute(CKA_SIGN, true),
                // a device identity key signs; it does not decrypt or unwrap other keys
                new Attribute(CKA_DECRYPT, false),
                new Attribute(CKA_UNWRAP, false),
                new Attribute(CKA_LABEL, labelBytes),
                new Attribute(CKA_ID, labelBytes)));
        if (ec) {
            privateTemplate.add(new Attribute(CKA_DERIVE, false));
        }
        long[] handles = module.generateKeyPair(session, ec ? CKM_EC_KEY_PAIR_GEN : CKM_RSA_PKCS_KEY_PAIR_GEN,
                publicTemplate, privateTemplate);
        try {
            PublicKey publicKey;
            if (ec) {
                publicKey = TokenPublicKeys.ec(type, (byte[]) module.getAttributes(session, handles[0], CKA_EC_POINT)[0]);
            } else {
                Object[] v = module.getAttributes(session, handles[0], CKA_MODULUS, CKA_PUBLIC_EXPONENT);
                publicKey = TokenPublicKeys.rsa((byte[]) v[0], (byte[]) v[1]);
            }
            return new Generated(handles[0], handles[1], publicKey);
        } catch (RuntimeException e) {
            destroyQuietly(session, new Generated(handles[0], handles[1], null), e);
            throw e;
        }
    }

    private List<Long> keysLabelled(long session, String label) {
        List<Long> handles = new ArrayList<>();
        for (long objectClass : new long[] {CKO_PRIVATE_KEY, CKO_PUBLIC_KEY}) {
            long[] found = module.findObjects(session, List.of(new Attribute(CKA_CLASS, objectClass),
                    new Attribute(CKA_LABEL, utf8(label))), 64);
            for (long h : found) {
                handles.add(h);
            }
        }
        return handles;
    }

    private void destroyQuietly(long session, Generated pair, Throwable failure) {
        for (long handle : new long[] {pair.privateHandle(), pair.publicHandle()}) {
            try {
                module.destroyObject(session, handle);
            } catch (HsmException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    throw e;
                }
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
