// Tessera's native CPU kernels: float32 element-wise and row-reduction loops that the JIT does not
// vectorise. Called through JavaCPP from dev.tessera.cpu.kernel.NativeKernels with raw addresses
// and element strides; the Java side splits the work over threads and checks every argument.
//
// Each entry point is compiled twice (AVX2 + FMA and baseline x86-64) and picked at load time by the
// CPU it runs on; the loops are plain C++ that the compiler vectorises, with the float semantics of
// the Java kernels they replace (comparisons give 1 or 0, max/min propagate NaN and order -0 < +0,
// SCALE and SHIFT compute in double and round once).
#ifndef TESSERA_CPU_H
#define TESSERA_CPU_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// Lets the compiler turn the selects below into vector blends: it may evaluate both sides of a
// ?: on floats, and sqrt need not set errno. No kernel here reads floating-point flags or errno.
// Multiplies and adds are never fused, so the double arithmetic rounds as Java's does.
#pragma GCC optimize("no-trapping-math", "no-math-errno", "fp-contract=off")
// The 8-lane vectors below never cross a non-inlined call, so GCC's note on their calling ABI is moot.
#pragma GCC diagnostic ignored "-Wpsabi"
#define TSR_CLONES __attribute__((target_clones("avx2", "default"), flatten))
#else
#define TSR_CLONES
#endif

namespace tessera_cpu {

// Binary op codes (NativeKernels.B_*).
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE };
// Unary op codes (NativeKernels.U_*).
enum { U_NEG, U_ABS, U_SQRT, U_SQUARE, U_RECIPROCAL, U_SCALE, U_SHIFT, U_RELU, U_EXP, U_SIGMOID, U_TANH };

static inline uint32_t bits(float v) { uint32_t u; memcpy(&u, &v, 4); return u; }
static inline float from_bits(uint32_t u) { float v; memcpy(&v, &u, 4); return v; }

// Java's Math.max/min for floats: NaN if either is NaN, and +0 above -0. Written as selects of
// float values (at a tie of zeros, a + b is +0 unless both are -0) so that the loops vectorise.
static inline float jmax(float a, float b) {
    float tie = a == 0.0f ? a + b : a;
    float r = a > b ? a : b;
    r = a == b ? tie : r;
    return (a != a) | (b != b) ? a + b : r;
}
static inline float jmin(float a, float b) {
    float tie = a == 0.0f ? -(-a + -b) : a;
    float r = a < b ? a : b;
    r = a == b ? tie : r;
    return (a != a) | (b != b) ? a + b : r;
}

struct Add { static float f(float a, float b) { return a + b; } };
struct Sub { static float f(float a, float b) { return a - b; } };
struct Mul { static float f(float a, float b) { return a * b; } };
struct Div { static float f(float a, float b) { return a / b; } };
struct Max { static float f(float a, float b) { return jmax(a, b); } };
struct Min { static float f(float a, float b) { return jmin(a, b); } };
struct Eq { static float f(float a, float b) { return a == b ? 1.0f : 0.0f; } };
struct Ne { static float f(float a, float b) { return a != b ? 1.0f : 0.0f; } };
struct Lt { static float f(float a, float b) { return a < b ? 1.0f : 0.0f; } };
struct Le { static float f(float a, float b) { return a <= b ? 1.0f : 0.0f; } };
struct Gt { static float f(float a, float b) { return a > b ? 1.0f : 0.0f; } };
struct Ge { static float f(float a, float b) { return a >= b ? 1.0f : 0.0f; } };

// One row of n elements; the unit-stride and broadcast-scalar cases get loops of their own so
// that the compiler vectorises them.
template <class Op>
static inline void binary_row(int64_t n, const float* a, int64_t sa, const float* b, int64_t sb,
                              float* o, int64_t so) {
    if (sa == 1 && sb == 1 && so == 1) {
        for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i], b[i]);
    } else if (sa == 1 && sb == 0 && so == 1) {
        const float s = b[0];
        for (int64_t i = 0; i < n; i++) o[i] = Op::f(a[i], s);
    } else if (sa == 0 && sb == 1 && so == 1) {
        const float s = a[0];
        for (int64_t i = 0; i < n; i++) o[i] = Op::f(s, b[i]);
    } else {
        for (int64_t i = 0; i < n; i++) o[i * so] = Op::f(a[i * sa], b[i * sb]);
    }
}

template <class Op>
static inline void binary_tile(int64_t rows, int64_t n, const float* a, int64_t sa0, int64_t sa1,
                               const float* b, int64_t sb0, int64_t sb1, float* o, int64_t so0, int64_t so1) {
    for (int64_t r = 0; r < rows; r++) {
        binary_row<Op>(n, a + r * sa0, sa1, b + r * sb0, sb1, o + r * so0, so1);
    }
}

// out = op(a, b) over rows x n elements; strides are in elements (row stride, element stride).
// Returns 0, or -1 for an unknown op code.
TSR_CLONES int binary_f32(int op, int64_t rows, int64_t n, int64_t a, int64_t sa0, int64_t sa1,
                          int64_t b, int64_t sb0, int64_t sb1, int64_t o, int64_t so0, int64_t so1) {
    const float* pa = (const float*)(intptr_t)a;
    const float* pb = (const float*)(intptr_t)b;
    float* po = (float*)(intptr_t)o;
    switch (op) {
        case B_ADD: binary_tile<Add>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_SUB: binary_tile<Sub>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_MUL: binary_tile<Mul>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_DIV: binary_tile<Div>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_MAX: binary_tile<Max>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_MIN: binary_tile<Min>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_EQ: binary_tile<Eq>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_NE: binary_tile<Ne>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_LT: binary_tile<Lt>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_LE: binary_tile<Le>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_GT: binary_tile<Gt>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        case B_GE: binary_tile<Ge>(rows, n, pa, sa0, sa1, pb, sb0, sb1, po, so0, so1); return 0;
        default: return -1;
    }
}

struct Neg { static float f(float x, double) { return -x; } };
struct Abs { static float f(float x, double) { return from_bits(bits(x) & 0x7fffffffu); } };
struct Sqrt { static float f(float x, double) { return __builtin_sqrtf(x); } };
struct Square { static float f(float x, double) { return x * x; } };
struct Reciprocal { static float f(float x, double) { return 1.0f / x; } };
struct Scale { static float f(float x, double alpha) { return (float)(alpha * (double)x); } };
struct Shift { static float f(float x, double alpha) { return (float)((double)x + alpha); } };
// Clears every value whose sign bit is set, as the Java kernel does (a positive NaN passes).
struct Relu { static float f(float x, double) { uint32_t u = bits(x); return from_bits(u & ~(uint32_t)((int32_t)u >> 31)); } };

static inline double from_bits64(int64_t u) { double v; memcpy(&v, &u, 8); return v; }

// e^x for float32 results, operation for operation as dev.tessera.cpu.kernel.Exp32.exp: x = k ln2 + r,
// a degree-7 polynomial in r, times 2^k. Out-of-range inputs are clamped before the arithmetic and
// their results chosen after it, so every path stays free of branches.
static inline double exp32(double x) {
    const double LOG2E = 1.4426950408889634;
    const double LN2_HI = 0.6931471803691238;
    const double LN2_LO = 1.9082149292705877e-10;
    const double xc = x < -104.0 ? -104.0 : (x < 89.0 ? x : 88.0);
    // Adding and taking away 1.5 * 2^52 rounds to the nearest integer, ties to even, as Math.rint
    // does (exact for |x| < 2^51); the sum also holds k in its low mantissa bits.
    const double shifted = xc * LOG2E + 6755399441055744.0;
    const double k = shifted - 6755399441055744.0;
    const double r = (xc - k * LN2_HI) - k * LN2_LO;
    const double p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
            + r * (1.0 / 5040)))))));
    // 2^k: k + 1023 moves from the low mantissa bits of the sum to the exponent field, which equals
    // ((long) k + 1023) << 52 and, unlike a double-to-long conversion, vectorises.
    int64_t kb;
    memcpy(&kb, &shifted, 8);
    double v = p * from_bits64((int64_t)(((uint64_t)kb + 1023) << 52));
    v = x < -104.0 ? 0.0 : v;
    return x < 89.0 ? v : (x != x ? x : __builtin_inf());
}

// tanh for float32 results, as Exp32.tanh: an odd polynomial below |x| = 1/16, else
// (1 - e) / (1 + e) with e = e^(-2|x|); +-1 from |x| = 20.
static inline double tanh32(double x) {
    const double a = __builtin_fabs(x);
    const double x2 = x * x;
    const double small = x * (1 - x2 * (1.0 / 3 - x2 * (2.0 / 15 - x2 * (17.0 / 315))));
    const double e = exp32(-2 * a);
    const double mid = __builtin_copysign((1 - e) / (1 + e), x);
    const double big = x != x ? x : __builtin_copysign(1.0, x);
    return a < 0.0625 ? small : (a < 20 ? mid : big);
}

struct Exp { static float f(float x, double) { return (float)exp32((double)x); } };
struct Sigmoid { static float f(float x, double) { return (float)(1.0 / (1.0 + exp32(-(double)x))); } };
struct Tanh { static float f(float x, double) { return (float)tanh32((double)x); } };

template <class Op>
static inline void unary_tile(double alpha, int64_t rows, int64_t n, const float* x, int64_t sx0, int64_t sx1,
                              float* o, int64_t so0, int64_t so1) {
    for (int64_t r = 0; r < rows; r++) {
        const float* px = x + r * sx0;
        float* po = o + r * so0;
        if (sx1 == 1 && so1 == 1) {
            for (int64_t i = 0; i < n; i++) po[i] = Op::f(px[i], alpha);
        } else {
            for (int64_t i = 0; i < n; i++) po[i * so1] = Op::f(px[i * sx1], alpha);
        }
    }
}

// out = op(x, alpha) over rows x n elements, strides in elements. Returns 0, or -1 for an unknown op.
TSR_CLONES int unary_f32(int op, double alpha, int64_t rows, int64_t n, int64_t x, int64_t sx0, int64_t sx1,
                         int64_t o, int64_t so0, int64_t so1) {
    const float* px = (const float*)(intptr_t)x;
    float* po = (float*)(intptr_t)o;
    switch (op) {
        case U_NEG: unary_tile<Neg>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_ABS: unary_tile<Abs>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_SQRT: unary_tile<Sqrt>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_SQUARE: unary_tile<Square>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_RECIPROCAL: unary_tile<Reciprocal>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_SCALE: unary_tile<Scale>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_SHIFT: unary_tile<Shift>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_RELU: unary_tile<Relu>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_EXP: unary_tile<Exp>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_SIGMOID: unary_tile<Sigmoid>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        case U_TANH: unary_tile<Tanh>(alpha, rows, n, px, sx0, sx1, po, so0, so1); return 0;
        default: return -1;
    }
}

// acc[j] += x[r * rowStride + j] for r in [0, rows), j in [0, cols): float32 rows summed in order
// into float64 accumulators, so the result matches the Java kernel's bit for bit.
TSR_CLONES void sum_rows_f32(int64_t x, int64_t rowStride, int64_t rows, int64_t cols, int64_t acc) {
    const float* px = (const float*)(intptr_t)x;
    double* pa = (double*)(intptr_t)acc;
    for (int64_t r = 0; r < rows; r++) {
        const float* row = px + r * rowStride;
        for (int64_t j = 0; j < cols; j++) pa[j] += (double)row[j];
    }
}

// acc[j] = max(acc[j], x[r * rowStride + j]) where a NaN, once met, stays (the Java fold's rule).
TSR_CLONES void max_rows_f32(int64_t x, int64_t rowStride, int64_t rows, int64_t cols, int64_t acc) {
    const float* px = (const float*)(intptr_t)x;
    float* pa = (float*)(intptr_t)acc;
    for (int64_t r = 0; r < rows; r++) {
        const float* row = px + r * rowStride;
        for (int64_t j = 0; j < cols; j++) {
            float v = row[j];
            float m = pa[j];
            pa[j] = (v > m) | (v != v) ? v : m;
        }
    }
}

// Batch normalisation over rows of c channels (channels last); per-channel vectors are float64.
// y = (x - mean) * invStd * scale + bias, in double and rounded once.
TSR_CLONES void bn_forward_f32(int64_t x, int64_t y, int64_t rows, int64_t c, int64_t mean, int64_t invStd,
                               int64_t scale, int64_t bias) {
    const float* px = (const float*)(intptr_t)x;
    float* py = (float*)(intptr_t)y;
    const double* m = (const double*)(intptr_t)mean;
    const double* is = (const double*)(intptr_t)invStd;
    const double* sc = (const double*)(intptr_t)scale;
    const double* b = (const double*)(intptr_t)bias;
    for (int64_t r = 0; r < rows; r++) {
        const float* xr = px + r * c;
        float* yr = py + r * c;
        for (int64_t ch = 0; ch < c; ch++) yr[ch] = (float)(((double)xr[ch] - m[ch]) * is[ch] * sc[ch] + b[ch]);
    }
}

// sumDy[ch] += dy and sumDyXhat[ch] += dy * (x - mean) * invStd, rows in order.
TSR_CLONES void bn_sums_f32(int64_t x, int64_t dy, int64_t rows, int64_t c, int64_t mean, int64_t invStd,
                            int64_t sumDy, int64_t sumDyXhat) {
    const float* px = (const float*)(intptr_t)x;
    const float* pg = (const float*)(intptr_t)dy;
    const double* m = (const double*)(intptr_t)mean;
    const double* is = (const double*)(intptr_t)invStd;
    double* sd = (double*)(intptr_t)sumDy;
    double* sx = (double*)(intptr_t)sumDyXhat;
    for (int64_t r = 0; r < rows; r++) {
        const float* xr = px + r * c;
        const float* gr = pg + r * c;
        for (int64_t ch = 0; ch < c; ch++) {
            double g = gr[ch];
            sd[ch] += g;
            sx[ch] += g * ((double)xr[ch] - m[ch]) * is[ch];
        }
    }
}

// dx = k * (dy - meanDy - (x - mean) * perX) in training, k * dy in inference; in double, rounded once.
TSR_CLONES void bn_dx_f32(int training, int64_t x, int64_t dy, int64_t dx, int64_t rows, int64_t c, int64_t k,
                          int64_t meanDy, int64_t mean, int64_t perX) {
    const float* px = (const float*)(intptr_t)x;
    const float* pg = (const float*)(intptr_t)dy;
    float* po = (float*)(intptr_t)dx;
    const double* kk = (const double*)(intptr_t)k;
    const double* md = (const double*)(intptr_t)meanDy;
    const double* m = (const double*)(intptr_t)mean;
    const double* pp = (const double*)(intptr_t)perX;
    for (int64_t r = 0; r < rows; r++) {
        const float* xr = px + r * c;
        const float* gr = pg + r * c;
        float* orow = po + r * c;
        if (training) {
            for (int64_t ch = 0; ch < c; ch++) {
                orow[ch] = (float)(kk[ch] * ((double)gr[ch] - md[ch] - ((double)xr[ch] - m[ch]) * pp[ch]));
            }
        } else {
            for (int64_t ch = 0; ch < c; ch++) orow[ch] = (float)(kk[ch] * (double)gr[ch]);
        }
    }
}

// Max or average pooling of NHWC float32 input for output pixels [r0, r1) (over images x pixels).
// Max folds in float with Java's Math.max rules; average sums in double into acc (c doubles of the
// caller's) and scales by 1 / (window positions inside the input), rounded once.
TSR_CLONES void pool_f32(int isMax, int64_t x, int64_t y, int64_t r0, int64_t r1, int64_t h, int64_t w, int64_t c,
                         int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t strideH, int64_t strideW,
                         int64_t padTop, int64_t padLeft, int64_t acc) {
    const float* px = (const float*)(intptr_t)x;
    float* py = (float*)(intptr_t)y;
    double* pa = (double*)(intptr_t)acc;
    for (int64_t r = r0; r < r1; r++) {
        const int64_t img = r / (oh * ow);
        const int64_t yy = (r / ow) % oh;
        const int64_t xx = r % ow;
        const int64_t h0 = yy * strideH - padTop;
        const int64_t w0 = xx * strideW - padLeft;
        const int64_t hs = h0 < 0 ? 0 : h0, he = h0 + kh < h ? h0 + kh : h;
        const int64_t ws = w0 < 0 ? 0 : w0, we = w0 + kw < w ? w0 + kw : w;
        float* out = py + r * c;
        if (isMax) {
            for (int64_t k = 0; k < c; k++) out[k] = -__builtin_inff();
            for (int64_t ih = hs; ih < he; ih++) {
                for (int64_t iw = ws; iw < we; iw++) {
                    const float* in = px + ((img * h + ih) * w + iw) * c;
                    for (int64_t k = 0; k < c; k++) out[k] = jmax(out[k], in[k]);
                }
            }
        } else {
            for (int64_t k = 0; k < c; k++) pa[k] = 0.0;
            int64_t count = 0;
            for (int64_t ih = hs; ih < he; ih++) {
                for (int64_t iw = ws; iw < we; iw++) {
                    const float* in = px + ((img * h + ih) * w + iw) * c;
                    count++;
                    for (int64_t k = 0; k < c; k++) pa[k] += (double)in[k];
                }
            }
            const double scale = count == 0 ? 1.0 : 1.0 / (double)count;
            for (int64_t k = 0; k < c; k++) out[k] = (float)(pa[k] * scale);
        }
    }
}

// Winograd F(2x2, 3x3) for stride-1, undilated 3x3 convolutions (Lavin and Gray, 2015). The output
// is cut into 2x2 tiles; tile t of a batch has image t / (th * tw), tile row (t / tw) % th and tile
// column t % tw. Each tile reads a 4x4 input patch at (2 * row - padTop, 2 * col - padLeft), and
// the 16 points of the transformed domain hold one (tiles x channels) plane each, `ps` floats
// apart. The transform matrices have entries 0, +-1 and +-1/2 only, so they add no rounding of
// their own beyond the additions.

// Lanes for the transforms: eight channels at a time as a GCC vector (two SSE registers in the
// baseline clone), and one at a time for the rest.
typedef float vf8 __attribute__((vector_size(32)));
struct Lanes8 {
    typedef vf8 T;
    static const int W = 8;
    static T ld(const float* p) { T v; memcpy(&v, p, sizeof v); return v; }
    static void st(float* p, const T& v) { memcpy(p, &v, sizeof v); }
};
struct Lanes1 {
    typedef float T;
    static const int W = 1;
    static T ld(const float* p) { return *p; }
    static void st(float* p, const T& v) { *p = v; }
};

// One tile's 4x4 patch as 16 row pointers into NHWC x (or into `zero` outside the input).
static inline void wino_patch(const float* x, const float* zero, int64_t t, int64_t h, int64_t w, int64_t c,
                              int64_t th, int64_t tw, int64_t padTop, int64_t padLeft, const float** p) {
    const int64_t img = t / (th * tw);
    const int64_t ih0 = 2 * ((t / tw) % th) - padTop;
    const int64_t iw0 = 2 * (t % tw) - padLeft;
    for (int i = 0; i < 4; i++) {
        const int64_t ih = ih0 + i;
        for (int j = 0; j < 4; j++) {
            const int64_t iw = iw0 + j;
            p[i * 4 + j] = ih >= 0 && ih < h && iw >= 0 && iw < w ? x + ((img * h + ih) * w + iw) * c : zero;
        }
    }
}

// B^T d B for channels [k, k + W) of one patch; point (i, j) goes to out[(4 i + j) ps + k].
template <class L>
static inline void wino_input_lanes(const float* const* p, float* out, int64_t ps, int64_t k) {
    typedef typename L::T T;
    T e[16];
    for (int j = 0; j < 4; j++) {
        const T d0 = L::ld(p[j] + k), d1 = L::ld(p[4 + j] + k), d2 = L::ld(p[8 + j] + k), d3 = L::ld(p[12 + j] + k);
        e[j] = d0 - d2;
        e[4 + j] = d1 + d2;
        e[8 + j] = d2 - d1;
        e[12 + j] = d1 - d3;
    }
    for (int i = 0; i < 4; i++) {
        const T* r = e + 4 * i;
        L::st(out + (4 * i + 0) * ps + k, r[0] - r[2]);
        L::st(out + (4 * i + 1) * ps + k, r[1] + r[2]);
        L::st(out + (4 * i + 2) * ps + k, r[2] - r[1]);
        L::st(out + (4 * i + 3) * ps + k, r[1] - r[3]);
    }
}

// V = B^T d B for tiles [t0, t1) of x (N, h, w, c); tile t0 goes to row 0 of each plane of v.
// `zero` holds c zeros.
TSR_CLONES void wino_input_f32(int64_t x, int64_t zero, int64_t h, int64_t w, int64_t c, int64_t th, int64_t tw,
                               int64_t padTop, int64_t padLeft, int64_t t0, int64_t t1, int64_t v, int64_t ps) {
    const float* px = (const float*)(intptr_t)x;
    const float* pz = (const float*)(intptr_t)zero;
    float* pv = (float*)(intptr_t)v;
    const float* p[16];
    for (int64_t t = t0; t < t1; t++) {
        wino_patch(px, pz, t, h, w, c, th, tw, padTop, padLeft, p);
        float* out = pv + (t - t0) * c;
        int64_t k = 0;
        for (; k + 8 <= c; k += 8) wino_input_lanes<Lanes8>(p, out, ps, k);
        for (; k < c; k++) wino_input_lanes<Lanes1>(p, out, ps, k);
    }
}

// G g G^T for the (i, o) pairs [k, k + W) of an HWIO 3x3 kernel whose taps lie `tap` floats
// apart; point (a, b) goes to u[(4 a + b) plane + k].
template <class L>
static inline void wino_filter_lanes(const float* w, int64_t tap, float* u, int64_t plane, int64_t k) {
    typedef typename L::T T;
    T e[12];
    for (int b = 0; b < 3; b++) {
        const T g0 = L::ld(w + b * tap + k), g1 = L::ld(w + (3 + b) * tap + k), g2 = L::ld(w + (6 + b) * tap + k);
        e[b] = g0;
        e[3 + b] = 0.5f * (g0 + g1 + g2);
        e[6 + b] = 0.5f * (g0 - g1 + g2);
        e[9 + b] = g2;
    }
    for (int a = 0; a < 4; a++) {
        const T* r = e + 3 * a;
        L::st(u + (4 * a + 0) * plane + k, r[0]);
        L::st(u + (4 * a + 1) * plane + k, 0.5f * (r[0] + r[1] + r[2]));
        L::st(u + (4 * a + 2) * plane + k, 0.5f * (r[0] - r[1] + r[2]));
        L::st(u + (4 * a + 3) * plane + k, r[2]);
    }
}

// U = G g G^T for every (input channel, output channel) pair of a 3x3 HWIO kernel w of ci x co:
// 16 (ci x co) planes at u. The kernel turned by 180 degrees has the planes of points 0 and 3
// swapped along both axes (G with its columns reversed is G with rows 0 and 3 swapped).
TSR_CLONES void wino_filter_f32(int64_t w, int64_t ci, int64_t co, int64_t u) {
    const float* pw = (const float*)(intptr_t)w;
    float* pu = (float*)(intptr_t)u;
    const int64_t plane = ci * co;
    int64_t k = 0;
    for (; k + 8 <= plane; k += 8) wino_filter_lanes<Lanes8>(pw, plane, pu, plane, k);
    for (; k < plane; k++) wino_filter_lanes<Lanes1>(pw, plane, pu, plane, k);
}

// Offset in floats of output tile t's first pixel in an (N, oh, ow, c) tensor; down / right say
// whether its second row / column lie inside.
static inline int64_t wino_tile_offset(int64_t t, int64_t th, int64_t tw, int64_t oh, int64_t ow, int64_t c,
                                       bool* down, bool* right) {
    const int64_t img = t / (th * tw);
    const int64_t y0 = 2 * ((t / tw) % th);
    const int64_t x0 = 2 * (t % tw);
    *down = y0 + 1 < oh;
    *right = x0 + 1 < ow;
    return ((img * oh + y0) * ow + x0) * c;
}

// The 2x2 block of dy (N, oh, ow, c) under output tile t, as four pixel pointers (row by row),
// `zero` for the pixels past dy's edge.
static inline void wino_grad_block(const float* dy, const float* zero, int64_t t, int64_t th, int64_t tw, int64_t oh,
                                   int64_t ow, int64_t c, const float** g) {
    bool down, right;
    g[0] = dy + wino_tile_offset(t, th, tw, oh, ow, c, &down, &right);
    g[1] = right ? g[0] + c : zero;
    g[2] = down ? g[0] + ow * c : zero;
    g[3] = down && right ? g[0] + (ow + 1) * c : zero;
}

// A^T m A for channels [k, k + W) of one tile, whose points lie at in[(4 i + j) ps + k]; the
// 2x2 result goes to o[0..3] + k, of which only `down` / `right` say whether rows / columns 1 exist.
template <class L>
static inline void wino_output_lanes(const float* in, int64_t ps, float* const* o, bool down, bool right,
                                     int64_t k) {
    typedef typename L::T T;
    T a[8];
    for (int j = 0; j < 4; j++) {
        const T m0 = L::ld(in + j * ps + k), m1 = L::ld(in + (4 + j) * ps + k);
        const T m2 = L::ld(in + (8 + j) * ps + k), m3 = L::ld(in + (12 + j) * ps + k);
        a[j] = m0 + m1 + m2;
        a[4 + j] = m1 - m2 - m3;
    }
    L::st(o[0] + k, a[0] + a[1] + a[2]);
    if (right) L::st(o[1] + k, a[1] - a[2] - a[3]);
    if (down) {
        L::st(o[2] + k, a[4] + a[5] + a[6]);
        if (right) L::st(o[3] + k, a[5] - a[6] - a[7]);
    }
}

// y = A^T m A for tiles [t0, t1) into y (N, oh, ow, c), dropping the parts of edge tiles that
// fall outside it; tile t0 is row 0 of each plane of m.
TSR_CLONES void wino_output_f32(int64_t m, int64_t ps, int64_t t0, int64_t t1, int64_t c, int64_t th, int64_t tw,
                                int64_t oh, int64_t ow, int64_t y) {
    const float* pm = (const float*)(intptr_t)m;
    float* py = (float*)(intptr_t)y;
    for (int64_t t = t0; t < t1; t++) {
        bool down, right;
        float* o[4];
        o[0] = py + wino_tile_offset(t, th, tw, oh, ow, c, &down, &right);
        o[1] = o[0] + c;
        o[2] = o[0] + ow * c;
        o[3] = o[2] + c;
        const float* in = pm + (t - t0) * c;
        int64_t k = 0;
        for (; k + 8 <= c; k += 8) wino_output_lanes<Lanes8>(in, ps, o, down, right, k);
        for (; k < c; k++) wino_output_lanes<Lanes1>(in, ps, o, down, right, k);
    }
}

// A g A^T for channels [k, k + W) of one 2x2 block of dy (rows g[0], g[1] / g[2], g[3]), to
// dst[(4 i + j) ps + k].
template <class L>
static inline void wino_grad_output_lanes(const float* const* g, float* dst, int64_t ps, int64_t k) {
    typedef typename L::T T;
    const T a = L::ld(g[0] + k), b = L::ld(g[1] + k), d = L::ld(g[2] + k), e = L::ld(g[3] + k);
    const T r[8] = {a, a + b, a - b, -b, d, d + e, d - e, -e};
    for (int j = 0; j < 4; j++) {
        const T u = r[j], v = r[4 + j];
        L::st(dst + j * ps + k, u);
        L::st(dst + (4 + j) * ps + k, u + v);
        L::st(dst + (8 + j) * ps + k, u - v);
        L::st(dst + (12 + j) * ps + k, -v);
    }
}

// The filter gradient's output side: A g A^T for tiles [t0, t1) of dy (N, oh, ow, c), each 2x2
// block (zero outside dy) spread to 4x4; tile t0 is row 0 of each plane of out.
TSR_CLONES void wino_grad_output_f32(int64_t dy, int64_t zero, int64_t t0, int64_t t1, int64_t c, int64_t th,
                                     int64_t tw, int64_t oh, int64_t ow, int64_t out, int64_t ps) {
    const float* pg = (const float*)(intptr_t)dy;
    const float* pz = (const float*)(intptr_t)zero;
    float* po = (float*)(intptr_t)out;
    for (int64_t t = t0; t < t1; t++) {
        const float* g[4];
        wino_grad_block(pg, pz, t, th, tw, oh, ow, c, g);
        float* dst = po + (t - t0) * c;
        int64_t k = 0;
        for (; k + 8 <= c; k += 8) wino_grad_output_lanes<Lanes8>(g, dst, ps, k);
        for (; k < c; k++) wino_grad_output_lanes<Lanes1>(g, dst, ps, k);
    }
}

// G^T du G for the (i, o) pairs [k, k + W) of the 16 planes of du, to the 3x3 taps of dw.
template <class L>
static inline void wino_filter_grad_lanes(const float* du, float* dw, int64_t plane, int64_t k) {
    typedef typename L::T T;
    T e[12];
    for (int j = 0; j < 4; j++) {
        const T u0 = L::ld(du + j * plane + k), u1 = L::ld(du + (4 + j) * plane + k);
        const T u2 = L::ld(du + (8 + j) * plane + k), u3 = L::ld(du + (12 + j) * plane + k);
        e[j] = u0 + 0.5f * (u1 + u2);
        e[4 + j] = 0.5f * (u1 - u2);
        e[8 + j] = 0.5f * (u1 + u2) + u3;
    }
    for (int a = 0; a < 3; a++) {
        const T* r = e + 4 * a;
        L::st(dw + (3 * a + 0) * plane + k, r[0] + 0.5f * (r[1] + r[2]));
        L::st(dw + (3 * a + 1) * plane + k, 0.5f * (r[1] - r[2]));
        L::st(dw + (3 * a + 2) * plane + k, 0.5f * (r[1] + r[2]) + r[3]);
    }
}

// dw = G^T du G into an HWIO 3x3 kernel of ci x co, from the 16 (ci x co) planes of du.
TSR_CLONES void wino_filter_grad_f32(int64_t du, int64_t ci, int64_t co, int64_t dw) {
    const float* pu = (const float*)(intptr_t)du;
    float* pw = (float*)(intptr_t)dw;
    const int64_t plane = ci * co;
    int64_t k = 0;
    for (; k + 8 <= plane; k += 8) wino_filter_grad_lanes<Lanes8>(pu, pw, plane, k);
    for (; k < plane; k++) wino_filter_grad_lanes<Lanes1>(pu, pw, plane, k);
}

// Winograd F(2x2, 2x2) for the 2x2 stride-1 correlations that 4x4 stride-2 convolutions become on
// the space-to-depth view X'[i, j, (r, s, c)] = src[b i + r - padTop, b j + s - padLeft, c] of an
// NHWC source with block b (2 for a stride-2 input, 1 for a plain one; channels (r, s, c) = b b c).
// A 2x2 output tile of X' space at (2 row, 2 col) reads the 3x3 patch of X' there. The transforms
// have entries 0 and +-1 only: B^T = [1 -1 0; 0 1 0; 0 -1 1], G = [1 0; 1 1; 0 1], A^T = [1 1 0; 0 1 1].

// d (3x3 per lane) -> B^T d B, point (i, j) to out[(3 i + j) ps + k].
template <class L>
static inline void wino3_input_lanes(const float* const* p, float* out, int64_t ps, int64_t k) {
    typedef typename L::T T;
    T e[9];
    for (int j = 0; j < 3; j++) {
        const T d0 = L::ld(p[j] + k), d1 = L::ld(p[3 + j] + k), d2 = L::ld(p[6 + j] + k);
        e[j] = d0 - d1;
        e[3 + j] = d1;
        e[6 + j] = d2 - d1;
    }
    for (int i = 0; i < 3; i++) {
        const T* r = e + 3 * i;
        L::st(out + (3 * i + 0) * ps + k, r[0] - r[1]);
        L::st(out + (3 * i + 1) * ps + k, r[1]);
        L::st(out + (3 * i + 2) * ps + k, r[2] - r[1]);
    }
}

// V = B^T d B for tiles [t0, t1) of X' space (th x tw tiles per image) of src (N, h, w, c) with
// block b; tile t0 goes to row 0 of each of the 9 planes of v (ps floats apart), b b c floats per row.
TSR_CLONES void wino3_input_f32(int64_t src, int64_t zero, int64_t h, int64_t w, int64_t c, int64_t block,
                                int64_t th, int64_t tw, int64_t padTop, int64_t padLeft, int64_t t0, int64_t t1,
                                int64_t v, int64_t ps) {
    const float* px = (const float*)(intptr_t)src;
    const float* pz = (const float*)(intptr_t)zero;
    float* pv = (float*)(intptr_t)v;
    const int64_t row = block * block * c;
    const float* p[9];
    for (int64_t t = t0; t < t1; t++) {
        const int64_t img = t / (th * tw);
        const int64_t i0 = 2 * ((t / tw) % th);
        const int64_t j0 = 2 * (t % tw);
        for (int64_t r = 0; r < block; r++) {
            for (int64_t s = 0; s < block; s++) {
                for (int i = 0; i < 3; i++) {
                    const int64_t ih = block * (i0 + i) + r - padTop;
                    for (int j = 0; j < 3; j++) {
                        const int64_t iw = block * (j0 + j) + s - padLeft;
                        p[3 * i + j] = ih >= 0 && ih < h && iw >= 0 && iw < w ? px + ((img * h + ih) * w + iw) * c : pz;
                    }
                }
                float* out = pv + (t - t0) * row + (r * block + s) * c;
                int64_t k = 0;
                for (; k + 8 <= c; k += 8) wino3_input_lanes<Lanes8>(p, out, ps, k);
                for (; k < c; k++) wino3_input_lanes<Lanes1>(p, out, ps, k);
            }
        }
    }
}

// U = G g G^T for the 2x2 kernels of a 4x4 HWIO kernel w of c x o seen in X' space: g[a][b] =
// w[2a + r][2b + s][c][o] for X' channel (r, s, c); 9 planes of (4 c x o).
TSR_CLONES void wino3_filter_f32(int64_t w, int64_t c, int64_t o, int64_t u) {
    const float* pw = (const float*)(intptr_t)w;
    float* pu = (float*)(intptr_t)u;
    const int64_t co = c * o;
    const int64_t plane = 4 * co;
    for (int64_t r = 0; r < 2; r++) {
        for (int64_t s = 0; s < 2; s++) {
            const float* g00 = pw + ((0 + r) * 4 + (0 + s)) * co;
            const float* g01 = pw + ((0 + r) * 4 + (2 + s)) * co;
            const float* g10 = pw + ((2 + r) * 4 + (0 + s)) * co;
            const float* g11 = pw + ((2 + r) * 4 + (2 + s)) * co;
            float* out = pu + (r * 2 + s) * co;
            for (int64_t k = 0; k < co; k++) {
                const float e[6] = {g00[k], g01[k], g00[k] + g10[k], g01[k] + g11[k], g10[k], g11[k]};
                for (int a = 0; a < 3; a++) {
                    out[(3 * a + 0) * plane + k] = e[2 * a];
                    out[(3 * a + 1) * plane + k] = e[2 * a] + e[2 * a + 1];
                    out[(3 * a + 2) * plane + k] = e[2 * a + 1];
                }
            }
        }
    }
}

// A^T m A for tiles [t0, t1) (th x tw per image) into X' space of (oh x ow) pixels of b b c channels,
// written through the inverse view into dst (N, h, w, c): X'[i, j, (r, s, c)] goes to
// dst[b i + r - padTop, b j + s - padLeft, c] where that lies inside.
TSR_CLONES void wino3_output_f32(int64_t m, int64_t ps, int64_t t0, int64_t t1, int64_t c, int64_t block, int64_t th,
                                 int64_t tw, int64_t oh, int64_t ow, int64_t h, int64_t w, int64_t padTop,
                                 int64_t padLeft, int64_t dst) {
    const float* pm = (const float*)(intptr_t)m;
    float* pd = (float*)(intptr_t)dst;
    const int64_t row = block * block * c;
    for (int64_t t = t0; t < t1; t++) {
        const int64_t img = t / (th * tw);
        const int64_t i0 = 2 * ((t / tw) % th);
        const int64_t j0 = 2 * (t % tw);
        const float* in = pm + (t - t0) * row;
        for (int64_t r = 0; r < block; r++) {
            for (int64_t s = 0; s < block; s++) {
                float* o[4];
                for (int q = 0; q < 4; q++) {
                    const int64_t i = i0 + q / 2, j = j0 + q % 2;
                    const int64_t y = block * i + r - padTop, x = block * j + s - padLeft;
                    o[q] = i < oh && j < ow && y >= 0 && y < h && x >= 0 && x < w ? pd + ((img * h + y) * w + x) * c
                                                                                    : nullptr;
                }
                const float* src = in + (r * block + s) * c;
                for (int64_t k = 0; k < c; k++) {
                    float a[6];
                    for (int j = 0; j < 3; j++) {
                        const float m0 = src[j * ps + k], m1 = src[(3 + j) * ps + k], m2 = src[(6 + j) * ps + k];
                        a[j] = m0 + m1;
                        a[3 + j] = m1 + m2;
                    }
                    if (o[0]) o[0][k] = a[0] + a[1];
                    if (o[1]) o[1][k] = a[1] + a[2];
                    if (o[2]) o[2][k] = a[3] + a[4];
                    if (o[3]) o[3][k] = a[4] + a[5];
                }
            }
        }
    }
}

// The filter gradient's output side for F(2x2, 2x2): A g A^T (3x3) from each 2x2 block of dy
// (N, oh, ow, c), zero outside it, for tiles [t0, t1); tile t0 is row 0 of each plane of out.
TSR_CLONES void wino3_grad_output_f32(int64_t dy, int64_t zero, int64_t t0, int64_t t1, int64_t c, int64_t th,
                                      int64_t tw, int64_t oh, int64_t ow, int64_t out, int64_t ps) {
    const float* pg = (const float*)(intptr_t)dy;
    const float* pz = (const float*)(intptr_t)zero;
    float* po = (float*)(intptr_t)out;
    for (int64_t t = t0; t < t1; t++) {
        const float* g[4];
        wino_grad_block(pg, pz, t, th, tw, oh, ow, c, g);
        float* dst = po + (t - t0) * c;
        for (int64_t k = 0; k < c; k++) {
            const float a = g[0][k], b = g[1][k], d = g[2][k], e = g[3][k];
            const float r[6] = {a, a + b, b, d, d + e, e};
            for (int j = 0; j < 3; j++) {
                dst[j * ps + k] = r[j];
                dst[(3 + j) * ps + k] = r[j] + r[3 + j];
                dst[(6 + j) * ps + k] = r[3 + j];
            }
        }
    }
}

// dw (4, 4, c, o) HWIO = G^T du G from the 9 planes of (4 c x o) X'-space filter gradients.
TSR_CLONES void wino3_filter_grad_f32(int64_t du, int64_t c, int64_t o, int64_t dw) {
    const float* pu = (const float*)(intptr_t)du;
    float* pw = (float*)(intptr_t)dw;
    const int64_t co = c * o;
    const int64_t plane = 4 * co;
    for (int64_t r = 0; r < 2; r++) {
        for (int64_t s = 0; s < 2; s++) {
            const float* in = pu + (r * 2 + s) * co;
            for (int64_t k = 0; k < co; k++) {
                float e[6];
                for (int j = 0; j < 3; j++) {
                    const float u0 = in[j * plane + k], u1 = in[(3 + j) * plane + k], u2 = in[(6 + j) * plane + k];
                    e[j] = u0 + u1;
                    e[3 + j] = u1 + u2;
                }
                for (int a = 0; a < 2; a++) {
                    const float* q = e + 3 * a;
                    pw[((2 * a + r) * 4 + (0 + s)) * co + k] = q[0] + q[1];
                    pw[((2 * a + r) * 4 + (2 + s)) * co + k] = q[1] + q[2];
                }
            }
        }
    }
}

// Direct stride-1 convolutions of a single-channel NHWC input (the first layer of an MNIST model),
// where im2col + GEMM multiplies a 25-deep row by a 6-wide kernel at a tenth of the GEMM's speed.
// Both work on one image padded into `pad` (ph x pw floats, zero border, at least 8 floats of slack
// after the last row), eight output columns at a time.

typedef int vi8 __attribute__((vector_size(32)));
static const vi8 kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7};

// Copies image img of x (N, h, w, 1) into pad (ph x pw) at (padTop, padLeft), zeros around it.
static inline void pad_image(const float* x, int64_t img, int64_t h, int64_t w, int64_t padTop, int64_t padLeft,
                             int64_t ph, int64_t pw, float* pad) {
    memset(pad, 0, (size_t)(ph * pw + 8) * sizeof(float));
    for (int64_t i = 0; i < h; i++) {
        const int64_t r = i + padTop;
        if (r < 0 || r >= ph) continue;
        for (int64_t j = 0; j < w; j++) {
            const int64_t col = j + padLeft;
            if (col >= 0 && col < pw) pad[r * pw + col] = x[(img * h + i) * w + j];
        }
    }
}

// Pads each image [n0, n1) of x (N, h, w, 1) into pad, then calls body(img, oy, ox0, lanes, o0, outs)
// for every output row, block of up to 8 output columns and block of up to 4 output channels.
template <class Body>
static inline void conv1ch_blocks(const float* x, float* pad, int64_t n0, int64_t n1, int64_t h, int64_t w,
                                  int64_t kh, int64_t kw, int64_t o, int64_t oh, int64_t ow, int64_t padTop,
                                  int64_t padLeft, Body body) {
    const int64_t ph = oh + kh - 1, pw = ow + kw - 1;
    for (int64_t img = n0; img < n1; img++) {
        pad_image(x, img, h, w, padTop, padLeft, ph, pw, pad);
        for (int64_t oy = 0; oy < oh; oy++) {
            for (int64_t ox0 = 0; ox0 < ow; ox0 += 8) {
                const int64_t lanes = ow - ox0 < 8 ? ow - ox0 : 8;
                for (int64_t o0 = 0; o0 < o; o0 += 4) body(img, oy, ox0, lanes, o0, o - o0 < 4 ? o - o0 : 4);
            }
        }
    }
}

// y (N, oh, ow, o) for images [n0, n1) of x (N, h, w, 1) and an HWIO kernel (kh, kw, 1, o).
TSR_CLONES void conv1ch_forward_f32(int64_t x, int64_t k, int64_t y, int64_t pad, int64_t n0, int64_t n1, int64_t h,
                                    int64_t w, int64_t kh, int64_t kw, int64_t o, int64_t oh, int64_t ow,
                                    int64_t padTop, int64_t padLeft) {
    const float* pk = (const float*)(intptr_t)k;
    float* py = (float*)(intptr_t)y;
    float* pp = (float*)(intptr_t)pad;
    const int64_t pw = ow + kw - 1;
    conv1ch_blocks((const float*)(intptr_t)x, pp, n0, n1, h, w, kh, kw, o, oh, ow, padTop, padLeft,
                   [&](int64_t img, int64_t oy, int64_t ox0, int64_t lanes, int64_t o0, int64_t outs) {
        vf8 acc[4] = {};
        for (int64_t a = 0; a < kh; a++) {
            const float* row = pp + (oy + a) * pw + ox0;
            for (int64_t b = 0; b < kw; b++) {
                const vf8 xv = Lanes8::ld(row + b);
                const float* wt = pk + (a * kw + b) * o + o0;
                for (int64_t q = 0; q < outs; q++) acc[q] += xv * wt[q];
            }
        }
        float* out = py + ((img * oh + oy) * ow + ox0) * o + o0;
        for (int64_t j = 0; j < lanes; j++) {
            for (int64_t q = 0; q < outs; q++) out[j * o + q] = acc[q][j];
        }
    });
}

// Adds the filter gradient of images [n0, n1) into acc (kh kw o x 8 lanes, lane j summing output
// columns ox = j mod 8): acc[(tap o) 8 + j] += x(tap at pixel) dy(pixel, o).
TSR_CLONES void conv1ch_filter_f32(int64_t x, int64_t dy, int64_t acc, int64_t pad, int64_t n0, int64_t n1,
                                   int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t o, int64_t oh, int64_t ow,
                                   int64_t padTop, int64_t padLeft) {
    const float* pg = (const float*)(intptr_t)dy;
    float* pa = (float*)(intptr_t)acc;
    float* pp = (float*)(intptr_t)pad;
    const int64_t pw = ow + kw - 1;
    conv1ch_blocks((const float*)(intptr_t)x, pp, n0, n1, h, w, kh, kw, o, oh, ow, padTop, padLeft,
                   [&](int64_t img, int64_t oy, int64_t ox0, int64_t lanes, int64_t o0, int64_t outs) {
        const float* g = pg + ((img * oh + oy) * ow + ox0) * o;
        // Lanes past the row's end see zero input as well as zero gradient, so a non-finite pixel
        // elsewhere in the buffer cannot reach a sum through them.
        const vi8 live = kLaneIndex < (int)lanes;
        vf8 gt[4] = {};
        for (int64_t q = 0; q < outs; q++) {
            for (int64_t j = 0; j < lanes; j++) gt[q][j] = g[j * o + o0 + q];
        }
        for (int64_t a = 0; a < kh; a++) {
            const float* row = pp + (oy + a) * pw + ox0;
            for (int64_t b = 0; b < kw; b++) {
                const vf8 xv = live ? Lanes8::ld(row + b) : vf8{};
                float* at = pa + ((a * kw + b) * o + o0) * 8;
                for (int64_t q = 0; q < outs; q++) Lanes8::st(at + q * 8, Lanes8::ld(at + q * 8) + xv * gt[q]);
            }
        }
    });
}

// im2col for NHWC float32: rows [r0, r1) of the column buffer of nb images, one row per output
// pixel laid out (kh, kw, c), row r written at dst + (r - r0) * kh * kw * c; taps outside the
// input are zero. Strides and padding in pixels.
static inline void im2col_rows(const float* px, float* dst, int64_t r0, int64_t r1, int64_t h, int64_t w,
                               int64_t c, int64_t kh, int64_t kw, int64_t oh, int64_t ow, int64_t strideH,
                               int64_t strideW, int64_t padTop, int64_t padLeft, int64_t dilationH,
                               int64_t dilationW) {
    const int64_t rowLen = kh * kw * c;
    for (int64_t r = r0; r < r1; r++, dst += rowLen) {
        const int64_t img = r / (oh * ow);
        const int64_t y = (r / ow) % oh;
        const int64_t xo = r % ow;
        const int64_t iw0 = xo * strideW - padLeft;
        const bool rowInside = dilationW == 1 && iw0 >= 0 && iw0 + kw <= w;
        for (int64_t a = 0; a < kh; a++) {
            const int64_t ih = y * strideH - padTop + a * dilationH;
            float* seg = dst + a * kw * c;
            if (ih < 0 || ih >= h) {
                memset(seg, 0, (size_t)(kw * c) * sizeof(float));
                continue;
            }
            const float* src = px + (img * h + ih) * w * c;
            if (rowInside) {
                memcpy(seg, src + iw0 * c, (size_t)(kw * c) * sizeof(float));
                continue;
            }
            for (int64_t b = 0; b < kw; b++) {
                const int64_t iw = iw0 + b * dilationW;
                if (iw < 0 || iw >= w) {
                    memset(seg + b * c, 0, (size_t)c * sizeof(float));
                } else {
                    memcpy(seg + b * c, src + iw * c, (size_t)c * sizeof(float));
                }
            }
        }
    }
}

// im2col into the column buffer col, rows [r0, r1) (see im2col_rows).
TSR_CLONES void im2col_f32(int64_t x, int64_t col, int64_t r0, int64_t r1, int64_t h, int64_t w, int64_t c,
                           int64_t kh, int64_t kw, int64_t oh, int64_t ow, int64_t strideH, int64_t strideW,
                           int64_t padTop, int64_t padLeft, int64_t dilationH, int64_t dilationW) {
    im2col_rows((const float*)(intptr_t)x, (float*)(intptr_t)col + r0 * kh * kw * c, r0, r1, h, w, c, kh, kw, oh,
                ow, strideH, strideW, padTop, padLeft, dilationH, dilationW);
}

// col2im for NHWC float32: adds the column buffer of nb images into dx (zeroed by the caller) for
// input rows [row0, row1) over images x rows, each gathering every (kh, ow, kw) that lands in it,
// so ranges of rows can run on separate threads and the order of additions is fixed.
TSR_CLONES void col2im_f32(int64_t col, int64_t dx, int64_t row0, int64_t row1, int64_t h, int64_t w, int64_t c,
                           int64_t kh, int64_t kw, int64_t oh, int64_t ow, int64_t strideH, int64_t strideW,
                           int64_t padTop, int64_t padLeft, int64_t dilationH, int64_t dilationW) {
    const float* pc = (const float*)(intptr_t)col;
    float* pd = (float*)(intptr_t)dx;
    const int64_t rowLen = kh * kw * c;
    for (int64_t row = row0; row < row1; row++) {
        const int64_t img = row / h;
        const int64_t ih = row % h;
        float* dRow = pd + row * w * c;
        for (int64_t a = 0; a < kh; a++) {
            const int64_t num = ih + padTop - a * dilationH;
            if (num < 0 || num % strideH != 0 || num / strideH >= oh) continue;
            const int64_t y = num / strideH;
            for (int64_t xo = 0; xo < ow; xo++) {
                const float* src = pc + ((img * oh + y) * ow + xo) * rowLen + a * kw * c;
                const int64_t iw0 = xo * strideW - padLeft;
                if (dilationW == 1 && iw0 >= 0 && iw0 + kw <= w) {
                    float* d = dRow + iw0 * c;
                    for (int64_t k = 0; k < kw * c; k++) d[k] += src[k];
                    continue;
                }
                for (int64_t b = 0; b < kw; b++) {
                    const int64_t iw = iw0 + b * dilationW;
                    if (iw < 0 || iw >= w) continue;
                    float* d = dRow + iw * c;
                    const float* sb = src + b * c;
                    for (int64_t k = 0; k < c; k++) d[k] += sb[k];
                }
            }
        }
    }
}

// Sets an environment variable for libraries loaded later in this process (OpenBLAS reads its
// settings when it loads), unless the environment already has it. Returns 1 if it set it.
inline int set_env_if_unset(const char* name, const char* value) {
    if (getenv(name) != NULL) return 0;
    return setenv(name, value, 0) == 0;
}

}  // namespace tessera_cpu

#endif
