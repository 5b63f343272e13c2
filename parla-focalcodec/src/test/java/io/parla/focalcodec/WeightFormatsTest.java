package io.parla.focalcodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accuracy cost of computing with BF16 and int8 weights, on every golden case: token agreement with the
 * F32 model and the decoder's error (same tokens in) relative to the F32 output's peak. Printed for the record;
 * asserted loosely so a broken format (not mere rounding) fails.
 */
class WeightFormatsTest {
    static List<String> cases() {
        return List.of(Golden.CASES);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reducedPrecisionWeightsStayClose(String c) {
        float[] sig;
        try (SafeTensors exp = Golden.expected(c)) {
            sig = exp.get("input.sig").toFloatArray();
        }
        try (FocalCodec f32 = FocalCodec.load(Golden.dir(c))) {
            int[] ref = f32.sigToToks(sig);
            float[] refOut = f32.toksToSig(ref);
            for (DType dt : new DType[] {DType.BF16, DType.I8}) {
                try (FocalCodec low = FocalCodec.load(Golden.dir(c), dt)) {
                    int[] toks = low.sigToToks(sig);
                    int same = 0;
                    for (int i = 0; i < toks.length; i++) if (toks[i] == ref[i]) same++;
                    double agreement = (double) same / toks.length;
                    int bits = 0, total = 0;
                    for (int i = 0; i < toks.length; i++) {
                        bits += Integer.bitCount(toks[i] ^ ref[i]);
                        total += low.quantizer().bits();
                    }
                    double err = Golden.relError(low.toksToSig(ref), refOut);
                    System.out.printf("%-22s %-4s weights: tokens %.1f%% identical (%.2f%% of bits), decoder error %.2e of peak%n",
                            c, dt, 100 * agreement, 100.0 * bits / total, err);
                    assertThat(1.0 * bits / total).isLessThan(0.05);
                    assertThat(err).isLessThan(dt == DType.BF16 ? 0.03 : 0.1);
                }
            }
        }
    }
}
