package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Lengths in short and long form, at each boundary, as Bouncy Castle's DER encoder writes them. */
class DerWriterTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 129, 255, 256, 1000, 65_535, 65_536, 70_000, 16_777_215, 16_777_216})
    void writesEveryLengthAsBouncyCastlesDerEncoderDoes(int length) throws Exception {
        byte[] contents = new byte[length];
        byte[] expected = new DEROctetString(contents).getEncoded(ASN1Encoding.DER);
        assertThat(DerWriter.element(DerWriter.OCTET_STRING, contents)).isEqualTo(expected);
        assertThat(DerWriter.sizeOf(length)).isEqualTo(expected.length);
    }

    @Test
    void refusesToHandOutAnEncodingWhoseSizeWasComputedWrong() {
        DerWriter writer = new DerWriter(4).header(DerWriter.SEQUENCE, 2).write(0x05);
        assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("3 of 4");
    }
}
