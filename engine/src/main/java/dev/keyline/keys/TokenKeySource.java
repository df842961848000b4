package dev.keyline.keys;

import java.security.KeyPair;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyline.bundle.KeyReference;
import dev.keyline.hsm.HsmException;
import dev.keyline.hsm.KeptKey;
import dev.keyline.hsm.TokenDeviceKeys;
import dev.keyline.hsm.TokenKeyType;
import dev.keyline.hsm.WrappedKey;
import dev.keyline.hsm.WrappingKey;

/**
 * Device keys made in a PKCS#11 token ({@code keyline run --keys hsm}), labelled with the device id, then kept there
 * or exported wrapped ({@link TokenKeyHandling}, from the profile).
 *
 * <p>Restart safety (kept keys): a device whose chunk did not commit is processed again and must end with exactly
 * one key, the one its certificate names. So before a key is made, any key already labelled with the device id is
 * destroyed if this output made it ({@link TokenKeyJournal}), and the device is refused
 * ({@link TokenKeyConflictException}) if it did not: that key may be another output's, with a certificate. Which
 * labels exist is read once, at the first key, not searched per device. Wrapped keys are session objects destroyed
 * as soon as they are wrapped: nothing is left to replace.
 *
 * <p>A token failure ({@link HsmException}: session closed, token removed, not logged in) becomes a
 * {@link DeviceKeyException} naming the device and the token's CKR_ code; it fails the step, and a restart completes
 * the run. Thread-safe.
 */
public final class TokenKeySource implements KeySource {

    private final TokenDeviceKeys keys;
    private final TokenKeyHandling handling;
    private final Optional<WrappingKey> wrappingKey;
    private final TokenKeyJournal journal;
    private volatile Set<String> labelsInToken;

    /**
     * @param wrappingKey required for {@link TokenKeyHandling#WRAP}, found beforehand ({@link TokenDeviceKeys#wrappingKey})
     * @param journal     this output's record of the kept keys it made
     */
    public TokenKeySource(TokenDeviceKeys keys, TokenKeyHandling handling, Optional<WrappingKey> wrappingKey,
                          TokenKeyJournal journal) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.handling = Objects.requireNonNull(handling, "handling");
        this.wrappingKey = Objects.requireNonNull(wrappingKey, "wrappingKey");
        this.journal = Objects.requireNonNull(journal, "journal");
        if (handling == TokenKeyHandling.WRAP && wrappingKey.isEmpty()) {
            throw new IllegalArgumentException("wrapped device keys need a wrapping key");
        }
    }

    public TokenKeyHandling handling() {
        return handling;
    }

    /** Not available: a key made in a token belongs to one device, so it needs the device id ({@link #keyFor}). */
    @Override
    public KeyPair generate(KeyAlgorithm algorithm) {
        throw new UnsupportedOperationException("device keys made in a token are made per device: use keyFor(deviceId, algorithm)");
    }

    /**
     * @throws TokenKeyConflictException the token holds a key under this device id that this output did not make
     * @throws DeviceKeyException        the token failed
     */
    @Override
    public DeviceKey keyFor(String deviceId, KeyAlgorithm algorithm) {
        TokenKeyType type = tokenKeyType(algorithm);
        try {
            if (handling == TokenKeyHandling.WRAP) {
                WrappedKey wrapped = keys.generateWrapped(type, deviceId, wrappingKey.get());
                return DeviceKey.wrapped(wrapped.publicKey(), new KeyReference.Wrapped(wrapped.wrapped(),
                        wrapped.mechanism().pkcs11Name(), wrapped.wrappingKeyLabel(), keys.tokenLabel(), algorithm.id()));
            }
            Set<String> labels = labelsInToken();
            if (labels.contains(deviceId)) {
                if (!journal.recorded(deviceId)) {
                    throw new TokenKeyConflictException(deviceId, "the token \"" + keys.tokenLabel() + "\" already holds a "
                            + "key labelled " + deviceId + " that this output did not make (another output or tool issued "
                            + "this device id): it is left alone; if it is unused, delete it (pkcs11-tool --login "
                            + "--delete-object --type privkey --label " + deviceId + ", and --type pubkey) and run again");
                }
                keys.destroyKeys(deviceId); // left by an attempt of this output whose chunk did not commit
            }
            journal.record(deviceId);
            labels.add(deviceId);
            KeptKey kept = keys.generateKept(type, deviceId);
            return DeviceKey.inToken(kept.publicKey(), new KeyReference.InToken(keys.tokenLabel(), deviceId,
                    HexFormat.of().formatHex(kept.id()), algorithm.id()));
        } catch (HsmException e) {
            throw new DeviceKeyException(deviceId, "cannot make the key of device " + deviceId + " in the token \""
                    + keys.tokenLabel() + "\": " + e.getMessage(), e);
        }
    }

    private Set<String> labelsInToken() {
        Set<String> labels = labelsInToken;
        if (labels == null) {
            synchronized (this) {
                labels = labelsInToken;
                if (labels == null) {
                    labels = ConcurrentHashMap.newKeySet();
                    labels.addAll(keys.privateKeyLabels());
                    labelsInToken = labels;
                }
            }
        }
        return labels;
    }

    /** The token key type of a Keyline key algorithm. */
    public static TokenKeyType tokenKeyType(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case EC_P256 -> TokenKeyType.EC_P256;
            case EC_P384 -> TokenKeyType.EC_P384;
            case RSA_2048 -> TokenKeyType.RSA_2048;
            case RSA_3072 -> TokenKeyType.RSA_3072;
            case RSA_4096 -> TokenKeyType.RSA_4096;
        };
    }

    @Override
    public String toString() {
        return "TokenKeySource[" + keys + ", " + handling.id() + wrappingKey.map(w -> " under " + w.label()).orElse("") + "]";
    }
}
