package io.parla.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link VectorOps}. GELU uses the erfc approximation of {@link ScalarOps#erf} evaluated in float
 * lanes with the intrinsic exp: within 2e-7 absolute of the erf form, far below the 1e-4 parity budget.
 */
public final class VectorApiOps implements VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.withShape(S.vectorShape());

    @Override
    public void gelu(float[] x, int off, int n) {
        int i = off, e = off + n, upper = off + S.loopBound(n);
        for (; i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector z = v.mul(0.70710678f).abs();
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.mul(0.5f).add(1f));
            FloatVector p = t.mul(0.17087277f).add(-0.82215223f);
            p = p.mul(t).add(1.48851587f);
            p = p.mul(t).add(-1.13520398f);
            p = p.mul(t).add(0.27886807f);
            p = p.mul(t).add(-0.18628806f);
            p = p.mul(t).add(0.09678418f);
            p = p.mul(t).add(0.37409196f);
            p = p.mul(t).add(1.00002368f);
            p = p.mul(t).add(-1.26551223f);
            FloatVector erfc = t.mul(exp(p.sub(z.mul(z)))); // erfc(|x|/sqrt2)
            // 0.5 (1 + erf(u)) = 1 - erfc(u)/2 for u >= 0, erfc(|u|)/2 for u < 0
            FloatVector half = erfc.mul(0.5f);
            FloatVector cdf = FloatVector.broadcast(S, 1f).sub(half).blend(half, v.compare(VectorOperators.LT, 0f));
            v.mul(cdf).intoArray(x, i);
        }
        for (; i < e; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + ScalarOps.erf(v * 0.7071067811865476)));
        }
    }

    private static final float LOG2E = 1.44269504f, LN2_HI = 0.693145752f, LN2_LO = 1.42860677e-6f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding and subtracting it rounds to an integer

    /**
     * e^a for a <= 0 with relative error about 1e-7, from adds, multiplies and bit operations only. The
     * intrinsic {@code lanewise(EXP)} is slightly different in interpreted and compiled code, which would make
     * outputs depend on how warm the JIT is; this is the same in both.
     */
    static FloatVector exp(FloatVector a) {
        FloatVector x = a.max(-87f);
        FloatVector n = x.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = x.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector q = r.mul(1f / 720).add(1f / 120);
        q = q.mul(r).add(1f / 24);
        q = q.mul(r).add(1f / 6);
        q = q.mul(r).add(0.5f);
        q = q.mul(r).add(1f);
        q = q.mul(r).add(1f);
        IntVector bits = ((IntVector) n.convertShape(VectorOperators.F2I, SI, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return q.mul(bits.reinterpretAsFloats());
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0, upper = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < upper; i += L) acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        float s = VectorMatMul.sum(acc);
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0, upper = S.loopBound(n);
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (; i < upper; i += L)
            FloatVector.fromArray(S, x, xo + i).fma(a, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    @Override
    public float expShifted(float[] x, int off, int n, float max) {
        int i = off, e = off + n, upper = off + S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < upper; i += L) {
            FloatVector v = exp(FloatVector.fromArray(S, x, i).sub(max));
            v.intoArray(x, i);
            acc = acc.add(v);
        }
        float sum = VectorMatMul.sum(acc);
        for (; i < e; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + "bit";
    }
}
