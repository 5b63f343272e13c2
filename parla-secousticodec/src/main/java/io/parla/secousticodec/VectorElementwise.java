package io.parla.secousticodec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the sine-based element-wise code of the vocoder ({@link SecoustiOps#snake},
 * {@link SecoustiOps#sin}); loaded only when the core kernels run on the Vector API, i.e. when the incubator
 * module is present. The lane-wise sine is the JDK's vector intrinsic (SVML on x86), within an ulp or two of
 * {@code (float) Math.sin} and about 20 times faster.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorElementwise() {}

    /** {@code x[i] = sin(x[i])} for {@code i < n}. */
    static void sin(float[] x, int n) {
        int i = 0, upper = S.loopBound(n);
        for (; i < upper; i += S.length())
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.SIN).intoArray(x, i);
        for (; i < n; i++) x[i] = (float) Math.sin(x[i]);
    }

    /** {@code y = x + inv · sin²(α x)} over {@code x [T, C]}, with {@code inv = 1 / (α + 1e-9)} per channel. */
    static void snake(float[] x, int T, float[] alpha, float[] inv, float[] y) {
        int C = alpha.length, upper = S.loopBound(C);
        for (int t = 0; t < T; t++) {
            int o = t * C, c = 0;
            for (; c < upper; c += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, o + c);
                FloatVector s = v.mul(FloatVector.fromArray(S, alpha, c)).lanewise(VectorOperators.SIN);
                v.add(s.mul(s).mul(FloatVector.fromArray(S, inv, c))).intoArray(y, o + c);
            }
            for (; c < C; c++) y[o + c] = SecoustiOps.snake(x[o + c], alpha[c], inv[c]);
        }
    }
}
