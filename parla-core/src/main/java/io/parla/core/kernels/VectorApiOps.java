package io.parla.core.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link VectorOps}. GELU uses the erfc approximation of {@link ScalarOps#erf} evaluated in float
 * lanes: within 2e-7 absolute of the erf form, far below the 1e-4 parity budget. Its exponential is
 * {@link #exp(FloatVector)} (IEEE add/mul/fma only), not the lane-wise {@code EXP}: that one is SVML once C2 has
 * compiled the loop and {@code Math.exp} per lane before, one ulp apart, which made the same input give
 * different outputs depending on JIT timing (a seeded decode was not reproducible from run to run).
 */
public final class VectorApiOps implements VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.withShape(S.vectorShape());

    @Override
    public void gelu(float[] x, int off, int n) {
        int i = off, e = off + n, upper = off + S.loopBound(n);
        // before C2 has compiled this loop (a warm-up still running), vector code runs boxed, about 1000x slower:
        // about half of a cold resynth's compute went to its first whole-file GELUs; the lane twin gives the same bits
        if (Kernels.coldForCaller()) {
            for (; i < upper; i++) x[i] = geluLane(x[i]);
        }
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

    /** One lane of the vector GELU above: the same float operations in the same order, so the same bits. */
    static float geluLane(float v) {
        float z = Math.abs(v * 0.70710678f);
        float t = 1f / (z * 0.5f + 1f);
        float p = t * 0.17087277f + -0.82215223f;
        p = p * t + 1.48851587f;
        p = p * t + -1.13520398f;
        p = p * t + 0.27886807f;
        p = p * t + -0.18628806f;
        p = p * t + 0.09678418f;
        p = p * t + 0.37409196f;
        p = p * t + 1.00002368f;
        p = p * t + -1.26551223f;
        float half = t * expf(p - z * z) * 0.5f;
        return v * (v < 0f ? half : 1f - half);
    }

    private static final float LOG2E = 1.44269504088896341f, MAGIC = 12582912f;  // 1.5 * 2^23: round to nearest
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /**
     * exp in float lanes from IEEE add, mul, fma and exact integer operations only (Cephes expf: n = round(x log2 e),
     * two-part ln 2 reduction, degree-6 polynomial, 2^n through the exponent bits), so compiled and interpreted code
     * give the same bits; equals {@link #expf} lane by lane. Within 2 ulp for x in [-87, 88]; below -87 gives 0.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector lo = FloatVector.broadcast(S, -87f);
        FloatVector xc = x.max(lo).min(88f);
        FloatVector n = xc.mul(LOG2E).add(MAGIC).sub(MAGIC);
        FloatVector nn = n.neg();
        FloatVector r = nn.fma(FloatVector.broadcast(S, LN2_LO), nn.fma(FloatVector.broadcast(S, LN2_HI), xc));
        FloatVector y = r.fma(E0, E1).fma(r, FloatVector.broadcast(S, E2)).fma(r, FloatVector.broadcast(S, E3))
                .fma(r, FloatVector.broadcast(S, E4)).fma(r, FloatVector.broadcast(S, E5))
                .mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats()).blend(0f, x.compare(VectorOperators.LT, lo));
    }

    /** Scalar twin of {@link #exp(FloatVector)}: the same operations, the same bits. */
    static float expf(float x) {
        float xc = Math.min(Math.max(x, -87f), 88f);
        float n = xc * LOG2E + MAGIC - MAGIC;
        float r = Math.fma(-n, LN2_LO, Math.fma(-n, LN2_HI, xc));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E0, E1), r, E2), r, E3), r, E4), r, E5);
        float y = p * (r * r) + r + 1f;
        float v = y * Float.intBitsToFloat(((int) n + 127) << 23);
        return x < -87f ? 0f : v;
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
    public void mulAdd(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        int i = 0, upper = Kernels.coldForCaller() ? 0 : S.loopBound(n); // cold: the tail's bits are the lanes' bits
        for (; i < upper; i += L)
            FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)))
                    .intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += a[ao + i] * b[bo + i];
    }

    @Override
    public float expShifted(float[] x, int off, int n, float max) {
        int i = off, e = off + n, upper = off + S.loopBound(n);
        if (Kernels.coldForCaller()) return expShiftedLanes(x, off, n, max);
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

    /** {@link #expShifted} one lane at a time (per-lane sums, then the butterfly): the same bits, for cold code. */
    static float expShiftedLanes(float[] x, int off, int n, float max) {
        int i = off, e = off + n, upper = off + S.loopBound(n);
        float[] acc = new float[L];
        for (; i < upper; i += L)
            for (int k = 0; k < L; k++) {
                float v = expf(x[i + k] - max);
                x[i + k] = v;
                acc[k] += v;
            }
        float sum = VectorMatMul.sumParked(acc, 0);
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
