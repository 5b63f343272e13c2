/*
 * Parla's one native kernel: int8 x int8 products, for the memory- and compute-heavy int8 paths of the JVM
 * runtime. Two instruction sets, the same integer sums (so the same output bits) on both:
 *  - AVX-512 VNNI: vpdpbusd, 64 byte multiply-adds per instruction (an fp32 FMA does 16);
 *  - AVX2: vpmaddubsw + vpmaddwd, 32 per three instructions, for the many CPUs without VNNI.
 *
 * Why native: the Java Vector API has no integer dot-product operation, so in Java an int8 weight is widened
 * to fp32 before it is multiplied, and two cores top out near 110 GFLOP/s, short of what four batched
 * 50hz_2k_causal streams need. The Java kernels stay the reference and the fallback; this file is compiled
 * only where gcc is present, and used only when the CPU has AVX2 (io.parla.core.kernels.NativeInt8).
 *
 * Arithmetic: activations are quantised per row, symmetric, q = round(x / s), s = max|x| / 127, and stored
 * offset by 128 as unsigned bytes (vpdpbusd multiplies unsigned by signed bytes). The offset adds
 * 128 * sum(w) to each dot product, which is subtracted exactly in int32. Then
 * y[r, o] = s_x[r] * s_w[o] * (dot - 128 * sum w[o]) + b[o].
 */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#define TARGET_AVX2 __attribute__((target("avx2,fma")))

/* The best kernel this CPU (and OS) can run: 2 = AVX-512 VNNI, 1 = AVX2, 0 = none. */
int parla_int8_isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vnni")) return 2;
    if (__builtin_cpu_supports("avx2")) return 1;
    return 0;
}

/* Width of a quantised activation row: whole 64-byte vectors, the padding holding the value 0 (byte 128). */
int64_t parla_int8_row_bytes(int64_t in) {
    return (in + 63) & ~(int64_t) 63;
}

/* The row's scale for max|x|: NaN for a non-finite row, so that its outputs say so instead of being garbage. */
static float row_scale(float max) {
    return !isfinite(max) ? NAN : max > 0 ? max / 127.0f : 1.0f;
}

/* Columns [from, in) of one row, then the padding; `inv` = 127 / max|x| (0 for an all-zero or non-finite row). */
static void quantize_rest(const float *xr, int64_t from, int64_t in, float inv, uint8_t *qr) {
    for (int64_t c = from; c < in; c++) {
        float v = nearbyintf(xr[c] * inv);
        v = v > 127 ? 127 : v < -127 ? -127 : v;
        qr[c] = (uint8_t) ((int) v + 128);
    }
    memset(qr + in, 128, (size_t) (parla_int8_row_bytes(in) - in));
}

static float inverse_scale(float max) {
    return max > 0 && isfinite(max) ? 127.0f / max : 0.0f;
}

static void quantize_scalar(const float *x, int64_t x_stride, int64_t rows, int64_t in,
                            uint8_t *q, int64_t q_stride, float *scales) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * x_stride;
        float max = 0;
        for (int64_t c = 0; c < in; c++) max = fmaxf(max, fabsf(xr[c]));
        scales[r] = row_scale(max);
        quantize_rest(xr, 0, in, inverse_scale(max), q + r * q_stride);
    }
}

/* The same bytes as quantize_scalar, 16 columns at a time. */
TARGET static void quantize_avx512(const float *x, int64_t x_stride, int64_t rows, int64_t in,
                                   uint8_t *q, int64_t q_stride, float *scales) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * x_stride;
        uint8_t *qr = q + r * q_stride;
        __m512 mx = _mm512_setzero_ps();
        int64_t c = 0;
        for (; c + 16 <= in; c += 16) mx = _mm512_max_ps(mx, _mm512_abs_ps(_mm512_loadu_ps(xr + c)));
        float max = _mm512_reduce_max_ps(mx);
        for (; c < in; c++) max = fmaxf(max, fabsf(xr[c]));
        scales[r] = row_scale(max);
        const float invs = inverse_scale(max);
        const __m512 inv = _mm512_set1_ps(invs);
        const __m512i offset = _mm512_set1_epi32(128);
        for (c = 0; c + 16 <= in; c += 16) {
            __m512i v = _mm512_cvtps_epi32(_mm512_roundscale_ps(_mm512_mul_ps(_mm512_loadu_ps(xr + c), inv),
                                                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            v = _mm512_add_epi32(_mm512_max_epi32(_mm512_min_epi32(v, _mm512_set1_epi32(127)), _mm512_set1_epi32(-127)), offset);
            _mm_storeu_si128((__m128i *) (qr + c), _mm512_cvtepi32_epi8(v));
        }
        quantize_rest(xr, c, in, invs, qr);
    }
}

/*
 * Quantises rows [0, rows) of x (row r at x + r * x_stride, `in` values) into q (row r at q + r * q_stride,
 * q_stride >= parla_int8_row_bytes(in)) and their scales into scales[r]. Both versions give the same bytes.
 */
void parla_int8_quantize(const float *x, int64_t x_stride, int64_t rows, int64_t in,
                         uint8_t *q, int64_t q_stride, float *scales) {
    static int isa = -1;
    if (isa < 0) isa = parla_int8_isa();
    if (isa == 2) quantize_avx512(x, x_stride, rows, in, q, q_stride, scales);
    else quantize_scalar(x, x_stride, rows, in, q, q_stride, scales);
}

/*
 * 16 accumulators acc[4 * i + j] (x row i, weight row j) reduced to one vector whose lane 4 * j + i holds
 * the lane sum of acc[4 * i + j]: 45 shuffles and adds instead of 16 separate horizontal sums.
 */
TARGET static inline __m512i reduce16(__m512i a[16]) {
    __m512i p[8], qv[4];
    for (int k = 0; k < 8; k++) {
        __m512i x = a[2 * k], y = a[2 * k + 1];
        /* [x0+x2, x1+x3, y0+y2, y1+y3] by 128-bit blocks */
        p[k] = _mm512_add_epi32(_mm512_shuffle_i64x2(x, y, 0x44), _mm512_shuffle_i64x2(x, y, 0xEE));
    }
    for (int k = 0; k < 4; k++) {
        __m512i x = p[2 * k], y = p[2 * k + 1];
        /* block m = the four partial sums of accumulator 4k + m */
        qv[k] = _mm512_add_epi32(_mm512_shuffle_i64x2(x, y, 0x88), _mm512_shuffle_i64x2(x, y, 0xDD));
    }
    __m512i t01 = _mm512_add_epi32(_mm512_unpacklo_epi32(qv[0], qv[1]), _mm512_unpackhi_epi32(qv[0], qv[1]));
    __m512i t23 = _mm512_add_epi32(_mm512_unpacklo_epi32(qv[2], qv[3]), _mm512_unpackhi_epi32(qv[2], qv[3]));
    return _mm512_add_epi32(_mm512_unpacklo_epi64(t01, t23), _mm512_unpackhi_epi64(t01, t23));
}

/*
 * y[r, o] for r in [0, rows), o in [o0, o1): q/x_scales from parla_int8_quantize (row stride q_stride), w the
 * [out, in] int8 weight (row-major, row stride `in`), w_scales[out], bias[out] or NULL; y row r at
 * y + r * y_stride (floats), columns o0..o1-1 overwritten.
 *
 * A 4 x 4 register tile (4 activation rows, 4 weight rows, 16 accumulators): every 64-byte load feeds four
 * vpdpbusd. Partial tiles repeat their last row and drop the copies' results.
 */
TARGET void parla_int8_gemm_vnni(const uint8_t *q, int64_t q_stride, const float *x_scales, int64_t rows, int64_t in,
                            const int8_t *w, const float *w_scales, const float *bias,
                            float *y, int64_t y_stride, int64_t o0, int64_t o1) {
    const int64_t full = in & ~(int64_t) 63;
    const __mmask64 all = ~(__mmask64) 0, tail = in == full ? all : all >> (64 - (in - full));
    const __m512i offset = _mm512_set1_epi8((char) 0x80);
    for (int64_t o = o0; o < o1; o += 4) {
        const int8_t *wr[4];
        int32_t comp[4];
        for (int j = 0; j < 4; j++) {
            int64_t oj = o + j < o1 ? o + j : o1 - 1;
            wr[j] = w + oj * in;
        }
        {
            /* 128 * sum(w[o + j]): these rows stay in L1 for the row tiles that follow */
            __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
            for (int64_t c = 0; c < in; c += 64) {
                const __mmask64 m = c < full ? all : tail;
                c0 = _mm512_dpbusd_epi32(c0, offset, _mm512_maskz_loadu_epi8(m, wr[0] + c));
                c1 = _mm512_dpbusd_epi32(c1, offset, _mm512_maskz_loadu_epi8(m, wr[1] + c));
                c2 = _mm512_dpbusd_epi32(c2, offset, _mm512_maskz_loadu_epi8(m, wr[2] + c));
                c3 = _mm512_dpbusd_epi32(c3, offset, _mm512_maskz_loadu_epi8(m, wr[3] + c));
            }
            comp[0] = _mm512_reduce_add_epi32(c0);
            comp[1] = _mm512_reduce_add_epi32(c1);
            comp[2] = _mm512_reduce_add_epi32(c2);
            comp[3] = _mm512_reduce_add_epi32(c3);
        }
        float ws[4], bs[4];
        for (int j = 0; j < 4; j++) {
            int64_t oj = o + j < o1 ? o + j : o1 - 1;
            ws[j] = w_scales[oj];
            bs[j] = bias ? bias[oj] : 0.0f;
        }
        for (int64_t r = 0; r < rows; r += 4) {
            const uint8_t *xr[4];
            for (int i = 0; i < 4; i++) xr[i] = q + (r + i < rows ? r + i : rows - 1) * q_stride;
            __m512i acc[16];
            for (int k = 0; k < 16; k++) acc[k] = _mm512_setzero_si512();
            for (int64_t c = 0; c < in; c += 64) {
                /* weight rows are not padded: the last vector is a masked load; activation rows are */
                const __mmask64 m = c < full ? all : tail;
                __m512i w0 = _mm512_maskz_loadu_epi8(m, wr[0] + c), w1 = _mm512_maskz_loadu_epi8(m, wr[1] + c);
                __m512i w2 = _mm512_maskz_loadu_epi8(m, wr[2] + c), w3 = _mm512_maskz_loadu_epi8(m, wr[3] + c);
                for (int i = 0; i < 4; i++) {
                    __m512i xv = _mm512_loadu_si512(xr[i] + c);
                    acc[4 * i] = _mm512_dpbusd_epi32(acc[4 * i], xv, w0);
                    acc[4 * i + 1] = _mm512_dpbusd_epi32(acc[4 * i + 1], xv, w1);
                    acc[4 * i + 2] = _mm512_dpbusd_epi32(acc[4 * i + 2], xv, w2);
                    acc[4 * i + 3] = _mm512_dpbusd_epi32(acc[4 * i + 3], xv, w3);
                }
            }
            int32_t sums[16];
            _mm512_storeu_si512(sums, reduce16(acc));
            int ni = rows - r < 4 ? (int) (rows - r) : 4, nj = o1 - o < 4 ? (int) (o1 - o) : 4;
            for (int i = 0; i < ni; i++) {
                float xs = x_scales[r + i];
                float *yr = y + (r + i) * y_stride + o;
                for (int j = 0; j < nj; j++)
                    yr[j] = (float) (sums[4 * j + i] - comp[j]) * (xs * ws[j]) + bs[j];
            }
        }
    }
}

/* 8 accumulators reduced to one vector whose lane k holds the lane sum of acc[k]. */
TARGET_AVX2 static inline __m256i reduce8(const __m256i a[8]) {
    __m256i h0123 = _mm256_hadd_epi32(_mm256_hadd_epi32(a[0], a[1]), _mm256_hadd_epi32(a[2], a[3]));
    __m256i h4567 = _mm256_hadd_epi32(_mm256_hadd_epi32(a[4], a[5]), _mm256_hadd_epi32(a[6], a[7]));
    return _mm256_add_epi32(_mm256_permute2x128_si256(h0123, h4567, 0x20), _mm256_permute2x128_si256(h0123, h4567, 0x31));
}

/*
 * The same product on AVX2 (same arguments and the same sums as parla_int8_gemm_vnni). vpmaddubsw multiplies
 * unsigned by signed bytes and adds pairs into saturating int16: with |x| as the unsigned side and w carrying
 * x's sign (vpsignb), each pair is at most 2 * 127 * 127 = 32258, so nothing saturates; vpmaddwd by ones then
 * widens the pairs to int32. A 4 x 2 tile: AVX2 has 16 vector registers, 8 of them accumulators.
 */
TARGET_AVX2 void parla_int8_gemm_avx2(const uint8_t *q, int64_t q_stride, const float *x_scales, int64_t rows,
                                      int64_t in, const int8_t *w, const float *w_scales, const float *bias,
                                      float *y, int64_t y_stride, int64_t o0, int64_t o1) {
    const int64_t full = in & ~(int64_t) 31;
    const int64_t rest = in - full;
    const __m256i flip = _mm256_set1_epi8((char) 0x80), ones = _mm256_set1_epi16(1);
    for (int64_t o = o0; o < o1; o += 2) {
        const int8_t *w0p = w + o * in, *w1p = w + (o + 1 < o1 ? o + 1 : o) * in;
        /* the weight tail, zero-padded to a whole vector (rows are not padded in memory) */
        int8_t t0[32] = {0}, t1[32] = {0};
        if (rest) {
            memcpy(t0, w0p + full, (size_t) rest);
            memcpy(t1, w1p + full, (size_t) rest);
        }
        float ws0 = w_scales[o], ws1 = w_scales[o + 1 < o1 ? o + 1 : o];
        float b0 = bias ? bias[o] : 0.0f, b1 = bias ? bias[o + 1 < o1 ? o + 1 : o] : 0.0f;
        for (int64_t r = 0; r < rows; r += 4) {
            const uint8_t *xr[4];
            for (int i = 0; i < 4; i++) xr[i] = q + (r + i < rows ? r + i : rows - 1) * q_stride;
            __m256i acc[8];
            for (int k = 0; k < 8; k++) acc[k] = _mm256_setzero_si256();
            for (int64_t c = 0; c < in; c += 32) {
                __m256i wa = c < full ? _mm256_loadu_si256((const __m256i *) (w0p + c)) : _mm256_loadu_si256((const __m256i *) t0);
                __m256i wb = c < full ? _mm256_loadu_si256((const __m256i *) (w1p + c)) : _mm256_loadu_si256((const __m256i *) t1);
                for (int i = 0; i < 4; i++) {
                    __m256i xs = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *) (xr[i] + c)), flip);
                    __m256i ax = _mm256_abs_epi8(xs);
                    acc[2 * i] = _mm256_add_epi32(acc[2 * i],
                            _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(wa, xs)), ones));
                    acc[2 * i + 1] = _mm256_add_epi32(acc[2 * i + 1],
                            _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(wb, xs)), ones));
                }
            }
            int32_t sums[8];
            _mm256_storeu_si256((__m256i *) sums, reduce8(acc));
            int ni = rows - r < 4 ? (int) (rows - r) : 4;
            for (int i = 0; i < ni; i++) {
                float xsc = x_scales[r + i];
                float *yr = y + (r + i) * y_stride + o;
                yr[0] = (float) sums[2 * i] * (xsc * ws0) + b0;
                if (o + 1 < o1) yr[1] = (float) sums[2 * i + 1] * (xsc * ws1) + b1;
            }
        }
    }
}
