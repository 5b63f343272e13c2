package io.parla.secousticodec;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static io.parla.secousticodec.SecoustiOps.SIN_C1;
import static io.parla.secousticodec.SecoustiOps.SIN_C2;
import static io.parla.secousticodec.SecoustiOps.SIN_C3;
import static io.parla.secousticodec.SecoustiOps.SIN_MAGIC;
import static io.parla.secousticodec.SecoustiOps.SIN_PIO2_1;
import static io.parla.secousticodec.SecoustiOps.SIN_PIO2_2;
import static io.parla.secousticodec.SecoustiOps.SIN_PIO2_3;
import static io.parla.secousticodec.SecoustiOps.SIN_S1;
import static io.parla.secousticodec.SecoustiOps.SIN_S2;
import static io.parla.secousticodec.SecoustiOps.SIN_S3;
import static io.parla.secousticodec.SecoustiOps.SIN_TWO_OVER_PI;

/**
 * Vector API versions of the sine-based element-wise code of the vocoder ({@link SecoustiOps#snake},
 * {@link SecoustiOps#sin}); loaded only when the core kernels run on the Vector API, i.e. when the incubator
 * module is present. Every lane computes exactly {@link SecoustiOps#sinf} with IEEE add/mul/fma only, so results
 * are bit-identical to the scalar code and do not depend on whether the JIT has compiled the loop yet (the JDK's
 * lane-wise {@code SIN} would: SVML when compiled, {@code Math.sin} before, one ulp apart).
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorElementwise() {}

    /** {@link SecoustiOps#sinf} lane-wise. */
    static FloatVector sin(FloatVector x) {
        FloatVector j = x.mul(SIN_TWO_OVER_PI).add(SIN_MAGIC).sub(SIN_MAGIC);
        IntVector q = (IntVector) j.convert(VectorOperators.F2I, 0);
        FloatVector nj = j.neg();
        FloatVector r = nj.fma(bc(SIN_PIO2_3), nj.fma(bc(SIN_PIO2_2), nj.fma(bc(SIN_PIO2_1), x)));
        FloatVector z = r.mul(r);
        FloatVector s = z.fma(SIN_S3, SIN_S2).fma(z, bc(SIN_S1)).mul(z).fma(r, r);
        FloatVector c = z.fma(SIN_C3, SIN_C2).fma(z, bc(SIN_C1)).mul(z).mul(z).sub(z.mul(0.5f)).add(1f);
        VectorMask<Float> odd = q.and(1).compare(VectorOperators.NE, 0).cast(S);
        VectorMask<Float> negative = q.and(2).compare(VectorOperators.NE, 0).cast(S);
        FloatVector y = s.blend(c, odd);
        return y.blend(y.neg(), negative);
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    /** {@code x[i] = sin(x[i])} for {@code i < n}. */
    static void sin(float[] x, int n) {
        int i = 0, upper = S.loopBound(n);
        for (; i < upper; i += S.length()) sin(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        for (; i < n; i++) x[i] = SecoustiOps.sinf(x[i]);
    }

    /** {@code y = x + inv · sin²(α x)} over {@code x [T, C]}, with {@code inv = 1 / (α + 1e-9)} per channel. */
    static void snake(float[] x, int T, float[] alpha, float[] inv, float[] y) {
        int C = alpha.length, upper = S.loopBound(C);
        for (int t = 0; t < T; t++) {
            int o = t * C, c = 0;
            for (; c < upper; c += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, o + c);
                FloatVector s = sin(v.mul(FloatVector.fromArray(S, alpha, c)));
                v.add(s.mul(s).mul(FloatVector.fromArray(S, inv, c))).intoArray(y, o + c);
            }
            for (; c < C; c++) y[o + c] = SecoustiOps.snake(x[o + c], alpha[c], inv[c]);
        }
    }
}
