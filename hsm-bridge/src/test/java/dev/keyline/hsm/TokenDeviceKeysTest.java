package dev.keyline.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC5649WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.hsm.testing.SoftHsm;

/**
 * Device keys in a real SoftHSM token, read back by independent tools: OpenSC's pkcs11-tool for attributes and
 * signatures, Bouncy Castle's RFC 5649 engine and OpenSSL's {@code id-aes256-wrap-pad} for unwrapping under a
 * wrapping key whose value the test imported into the token.
 */
@Tag("full")
class TokenDeviceKeysTest {

    private static final String WRAP_LABEL = "test-device-wrap";

    @TempDir
    static Path dir;
    static Pkcs11Token token;
    static TokenDeviceKeys keys;
    static byte[] wrappingKeyValue;

    @BeforeAll
    static void open() throws IOException {
        SoftHsm.get();
        wrappingKeyValue = new byte[32];
        new SecureRandom().nextBytes(wrappingKeyValue);
        Path keyFile = dir.resolve("wrap.key");
        Files.write(keyFile, wrappingKeyValue);
        SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--write-object", keyFile.toString(), "--type", "secrkey", "--key-type", "AES:32",
                "--label", WRAP_LABEL, "--id", "7701", "--usage-wrap");
        HsmConfig config = HsmConfig.load(SoftHsm.writeConfig(dir, "device-keys", "token-label: " + SoftHsm.TOKEN,
                SoftHsm.USER_PIN));
        token = Pkcs11Token.open(config, HsmPin.resolve(config, Map.of()));
        keys = token.deviceKeys();
    }

    @AfterAll
    static void close() {
        token.close();
    }

    @ParameterizedTest
    @EnumSource(value = TokenKeyType.class, names = {"EC_P256", "RSA_2048"})
    void keptKeysAreSensitiveNeverExtractableTokenObjectsLabelledAndIdentifiedByTheirPublicKey(TokenKeyType type)
            throws Exception {
        String label = "kept-" + type;
        KeptKey key = keys.generateKept(type, label);

        assertThat(key.id()).isEqualTo(sha1OfPublicKeyBits(key.publicKey()));
        List<SoftHsm.ListedObject> objects = SoftHsm.listObjects(SoftHsm.TOKEN).stream()
                .filter(o -> o.label().equals(label)).toList();
        assertThat(objects).as("one public and one private key, nothing else").hasSize(2)
                .allSatisfy(o -> assertThat(o.id()).isEqualTo(key.idHex()));
        SoftHsm.ListedObject privateKey = objects.stream().filter(SoftHsm.ListedObject::isPrivateKey).findFirst().orElseThrow();
        assertThat(privateKey.access()).startsWith("sensitive, always sensitive, never extractable");
        assertThat(privateKey.usage()).isEqualTo("sign");
        assertThat(objects.stream().filter(SoftHsm.ListedObject::isPublicKey).findFirst().orElseThrow().usage())
                .isEqualTo("verify");

        // pkcs11-tool reads the public key object back: it is the key we were given.
        Path publicKeyFile = dir.resolve(label + ".pub.der");
        SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--read-object", "--type", "pubkey", "--id", key.idHex(), "--output-file",
                publicKeyFile.toString());
        assertThat(Files.readAllBytes(publicKeyFile)).isEqualTo(key.publicKey().getEncoded());
        // and the token's private key signs what that public key verifies: pkcs11-tool signs, the JDK verifies
        byte[] data = ("signed in the token by " + label).getBytes(StandardCharsets.UTF_8);
        Signature verifier = Signature.getInstance(type.defaultSignature());
        verifier.initVerify(key.publicKey());
        verifier.update(data);
        assertThat(verifier.verify(signWithPkcs11Tool(type, label, key.idHex(), data))).isTrue();
    }

    @Test
    void destroyKeysRemovesBothHalvesOfEveryPairWithTheLabel() {
        keys.generateKept(TokenKeyType.EC_P256, "leftover");
        keys.generateKept(TokenKeyType.EC_P256, "leftover");
        assertThat(keys.countKeys("leftover")).isEqualTo(4);

        assertThat(keys.destroyKeys("leftover")).isEqualTo(4);
        assertThat(keys.countKeys("leftover")).isZero();
        assertThat(SoftHsm.listObjects(SoftHsm.TOKEN)).noneMatch(o -> o.label().equals("leftover"));
    }

    @ParameterizedTest
    @EnumSource(value = TokenKeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void wrapThenUnwrapGivesThePrivateKeyOfThePublicKeyAndLeavesNothingInTheToken(TokenKeyType type) throws Exception {
        String label = "wrapped-" + type;
        WrappingKey wrappingKey = keys.wrappingKey(WRAP_LABEL, WrapMechanism.AES_KEY_WRAP_PAD);
        WrappedKey wrapped = keys.generateWrapped(type, label, wrappingKey);

        assertThat(keys.countKeys(label)).as("the device key is gone from the token").isZero();
        assertThat(wrapped.toString()).doesNotContain(HexFormat.of().formatHex(wrapped.wrapped()));

        // Unwrap with Bouncy Castle's RFC 5649 engine: an implementation that shares no code with the token.
        RFC5649WrapEngine engine = new RFC5649WrapEngine(AESEngine.newInstance());
        engine.init(false, new KeyParameter(wrappingKeyValue));
        byte[] unwrapped = engine.unwrap(wrapped.wrapped(), 0, wrapped.wrapped().length);
        byte[] pkcs8 = derPrefix(unwrapped);
        PrivateKey privateKey = KeyFactory.getInstance(type.jcaName()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));

        byte[] data = "to be signed by the unwrapped key".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(type.defaultSignature());
        signer.initSign(privateKey);
        signer.update(data);
        Signature verifier = Signature.getInstance(type.defaultSignature());
        verifier.initVerify(wrapped.publicKey());
        verifier.update(data);
        assertThat(verifier.verify(signer.sign())).isTrue();

        // OpenSSL's id-aes256-wrap-pad (RFC 5649) unwraps the same bytes to the same PKCS#8.
        Path wrappedFile = dir.resolve(label + ".wrapped");
        Files.write(wrappedFile, wrapped.wrapped());
        byte[] fromOpenSsl = openssl("enc", "-d", "-id-aes256-wrap-pad", "-K", HexFormat.of().formatHex(wrappingKeyValue),
                "-iv", "A65959A6", "-in", wrappedFile.toString());
        assertThat(fromOpenSsl).isEqualTo(unwrapped);
    }

    /**
     * The PKCS#8 DER at the start of {@code unwrapped}. SoftHSM 2.6 zero-pads the PKCS#8 to a multiple of 8 bytes
     * before it wraps (RFC 5649's own length then counts the zeros), so up to 7 zero bytes may follow the DER;
     * anything else there is a failure.
     */
    static byte[] derPrefix(byte[] unwrapped) throws IOException {
        byte[] der;
        try (org.bouncycastle.asn1.ASN1InputStream in = new org.bouncycastle.asn1.ASN1InputStream(unwrapped)) {
            der = in.readObject().getEncoded("DER");
        }
        assertThat(java.util.Arrays.copyOf(unwrapped, der.length)).isEqualTo(der);
        byte[] tail = java.util.Arrays.copyOfRange(unwrapped, der.length, unwrapped.length);
        assertThat(tail.length).isLessThan(8);
        for (byte b : tail) {
            assertThat(b).as("padding after the PKCS#8").isZero();
        }
        return der;
    }

    @Test
    void theKeyThatIsWrappedIsASensitiveButExtractableSessionObject() {
        assertThat(keys.attributesOfWrappableKey(TokenKeyType.EC_P256, "wrappable"))
                .isEqualTo(new KeyAttributes(false, true, true));
        assertThat(keys.countKeys("wrappable")).isZero();
    }

    @Test
    void aMissingWrappingKeyIsRefusedWithTheLabelAndHowToMakeOne() {
        assertThatThrownBy(() -> keys.wrappingKey("no-such-wrapping-key", WrapMechanism.AES_KEY_WRAP_PAD))
                .isInstanceOf(TokenKeyNotFoundException.class)
                .hasMessageContaining("\"no-such-wrapping-key\"").hasMessageContaining("--keygen --key-type AES:32");
    }

    @Test
    void aMechanismTheTokenLacksIsRefusedBeforeAnyKeyIsMade() {
        // SoftHSM 2.6 implements RFC 5649 as CKM_AES_KEY_WRAP_PAD only
        assertThatThrownBy(() -> keys.wrappingKey(WRAP_LABEL, WrapMechanism.AES_KEY_WRAP_KWP))
                .isInstanceOf(HsmException.class).hasMessageContaining("does not offer CKM_AES_KEY_WRAP_KWP");
    }

    static byte[] sha1OfPublicKeyBits(PublicKey key) throws Exception {
        byte[] bits = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        return MessageDigest.getInstance("SHA-1").digest(bits);
    }

    /**
     * pkcs11-tool signs, choosing the key by CKA_ID (its --sign does not select by --label): EC with raw CKM_ECDSA
     * over our SHA-256 (SoftHSM has no CKM_ECDSA_SHA256), RSA with SHA256-RSA-PKCS.
     */
    static byte[] signWithPkcs11Tool(TokenKeyType type, String label, String id, byte[] data) throws Exception {
        boolean ec = type.jcaName().equals("EC");
        Path in = dir.resolve(label + ".in");
        Path out = dir.resolve(label + ".sig");
        Files.write(in, ec ? MessageDigest.getInstance("SHA-256").digest(data) : data);
        SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--sign", "--id", id, "--mechanism", ec ? "ECDSA" : "SHA256-RSA-PKCS",
                "--input-file", in.toString(), "--output-file", out.toString(), "--signature-format", "openssl");
        return Files.readAllBytes(out);
    }

    private static byte[] openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl " + String.join(" ", args)).isZero();
        return out;
    }
}
