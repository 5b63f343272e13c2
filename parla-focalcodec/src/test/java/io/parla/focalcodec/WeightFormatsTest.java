package io.parla.focalcodec;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.MatMul;
import io.parla.core.kernels.NativeInt8;
import io.parla.core.kernels.NativeInt8MatMul;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The accuracy cost of computing with BF16 and int8 weights, and with int8 weights times int8 activations on the
 * native kernel (I8A8, where it is available), on every golden case: token agreement with the
 * F32 model and the decoder's error (same tokens in) relative to the F32 output's peak. Printed for the record;
 * asserted loosely so a broken format (not mere rounding) fails.
 */
class WeightFormatsTest {
    static List<String> cases() {
        return List.of(Golden.CASES);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reducedPrecisionWeightsStayClose(String c) throws Exception {
        float[] sig;
        try (SafeTensors exp = Golden.expected(c)) {
            sig = exp.get("input.sig").toFloatArray();
        }
        try (FocalCodec f32 = FocalCodec.load(Golden.dir(c))) {
            int[] ref = f32.sigToToks(sig);
            float[] refOut = f32.toksToSig(ref);
            for (String format : NativeInt8.available() ? List.of("BF16", "I8", "I8A8") : List.of("BF16", "I8")) {
                DType dt = format.equals("BF16") ? DType.BF16 : DType.I8;
                MatMul kernel = format.equals("I8A8") ? new NativeInt8MatMul(Kernels.javaMatmul()) : Kernels.javaMatmul();
                try (FocalCodec low = FocalCodec.load(Golden.dir(c), dt)) {
                    int[] toks = Kernels.callWith(kernel, () -> low.sigToToks(sig));
                    int same = 0;
                    for (int i = 0; i < toks.length; i++) if (toks[i] == ref[i]) same++;
                    double agreement = (double) same / toks.length;
                    int bits = 0, total = 0;
                    for (int i = 0; i < toks.length; i++) {
                        bits += Integer.bitCount(toks[i] ^ ref[i]);
                        total += low.quantizer().bits();
                    }
                    double err = Golden.relError(Kernels.callWith(kernel, () -> low.toksToSig(ref)), refOut);
                    System.out.printf("%-22s %-4s weights: tokens %.1f%% identical (%.2f%% of bits), decoder error %.2e of peak%n",
                            c, format, 100 * agreement, 100.0 * bits / total, err);
                    assertThat(1.0 * bits / total).isLessThan(0.05);
                    assertThat(err).isLessThan(dt == DType.BF16 ? 0.03 : 0.1);
                }
            }
        }
    }
}
