// Tessera's own float32 GEMM for the products OpenBLAS runs well below its peak: one dimension in
// the tens of thousands (pixels of a batch) against two of a few dozen to a few hundred (channels,
// kernel taps). A 3-channel 4x4 convolution multiplies a 48-deep column buffer by 128 filters;
// OpenBLAS packs the whole column buffer and first zeroes the output for beta = 0, two passes over
// memory that cost as much as the arithmetic at such a depth.
//
// Two kernels, both on 6 x 16 register tiles (twelve 8-lane accumulators) with AVX2 and FMA:
//  - rows: C[r, :] = A[r, :] x B with B packed once into 16-column panels; each tile of C is
//    written once, and a convolution builds its im2col rows block by block in a buffer that stays
//    in the L1/L2 cache instead of a column buffer the size of the batch;
//  - reduction (C = A^T x B over a long k): every tile of C is accumulated in registers over a
//    block of rows of A and B and added to a partial sum the caller owns (one per fixed range of
//    rows, so the result does not depend on the number of threads).
// On other CPUs gemm_supported() is 0 and the Java side keeps OpenBLAS (see gemm_supported).
#ifndef TESSERA_GEMM_H
#define TESSERA_GEMM_H

#include "tessera_cpu.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <cpuid.h>
#include <immintrin.h>
#define TSR_GEMM 1
#endif

namespace tessera_cpu {

#ifdef TSR_GEMM

// 1 when the kernels below should run on this CPU, else 0. They need AVX2 and FMA, and they leave
// CPUs with AVX-512 to OpenBLAS, whose 512-bit kernels have twice the peak of these 256-bit ones
// where the FMA units are 512 bits wide (Intel's server cores, AMD's Zen 5: 458 GFLOP/s sgemm on two
// Zen 5 vCPUs, where these tiles top out near half that) — except AMD family 19h (Zen 4), which
// runs AVX-512 on 256-bit units, so both have the same peak (the measurements in RESULTS.md).
inline int gemm_supported() {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return 0;
    if (!__builtin_cpu_supports("avx512f")) return 1;
    unsigned int eax, ebx, ecx, edx;
    if (!__builtin_cpu_is("amd") || !__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int family = ((eax >> 8) & 0xf) + (((eax >> 8) & 0xf) == 0xf ? (eax >> 20) & 0xff : 0);
    return family == 0x19;
}

#pragma GCC push_options
#pragma GCC target("avx2,fma")

static const int64_t kPanel = 16;       // columns of C per register tile
static const int64_t kReduceRows = 128;  // rows of A^T x B summed in registers before C is touched
// Software prefetch distances, measured on Zen 4 (rows of A as it streams from memory, 1 vCPU):
// the rows kernel reads the rows of A three tiles below (a 100,352 x 128 by 128 x 48 product went
// from 73 to 94 GFLOP/s); the reduction reads the rows of the next block while it sums this one
// (48 x 128 over 100,352 rows: 80 to 93 GFLOP/s with blocks of 128 rows; 77 with 256 unprefetched).
static const int64_t kAheadRows = 18;

// Lane masks for a tile whose last columns lie past the matrix: lanes [0, cols) of the two halves.
__attribute__((always_inline)) static inline void lane_masks(int64_t cols, __m256i* m0, __m256i* m1) {
    const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    *m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cols), idx);
    *m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)cols - 8), idx);
}

// Writes (or adds, when add) MR rows of two accumulators to c; only the first cols columns.
template <int MR>
__attribute__((always_inline)) static inline void store_tile(__m256* s0, __m256* s1, float* c, int64_t ldc,
                                                             int64_t cols, bool add) {
    if (cols == kPanel) {
        _Pragma("GCC unroll 8")
        for (int r = 0; r < MR; r++) {
            float* row = c + r * ldc;
            if (add) {
                s0[r] = _mm256_add_ps(s0[r], _mm256_loadu_ps(row));
                s1[r] = _mm256_add_ps(s1[r], _mm256_loadu_ps(row + 8));
            }
            _mm256_storeu_ps(row, s0[r]);
            _mm256_storeu_ps(row + 8, s1[r]);
        }
        return;
    }
    __m256i m0, m1;
    lane_masks(cols, &m0, &m1);
    _Pragma("GCC unroll 8")
    for (int r = 0; r < MR; r++) {
        float* row = c + r * ldc;
        if (add) {
            s0[r] = _mm256_add_ps(s0[r], _mm256_maskload_ps(row, m0));
            s1[r] = _mm256_add_ps(s1[r], _mm256_maskload_ps(row + 8, m1));
        }
        _mm256_maskstore_ps(row, m0, s0[r]);
        _mm256_maskstore_ps(row + 8, m1, s1[r]);
    }
}

// Clears the two accumulators of each of a tile's MR rows.
template <int MR>
__attribute__((always_inline)) static inline void zero_tile(__m256* s0, __m256* s1) {
    _Pragma("GCC unroll 8")
    for (int r = 0; r < MR; r++) {
        s0[r] = _mm256_setzero_ps();
        s1[r] = _mm256_setzero_ps();
    }
}

// One step of a tile: row r's accumulators += a[r * step] x (b0, b1).
template <int MR>
__attribute__((always_inline)) static inline void fma_tile(const float* a, int64_t step, __m256 b0, __m256 b1,
                                                           __m256* s0, __m256* s1) {
    _Pragma("GCC unroll 8")
    for (int r = 0; r < MR; r++) {
        const __m256 av = _mm256_broadcast_ss(a + r * step);
        s0[r] = _mm256_fmadd_ps(av, b0, s0[r]);
        s1[r] = _mm256_fmadd_ps(av, b1, s1[r]);
    }
}

// C tile (MR x cols) = A rows (MR x k, row stride lda) x one packed panel (k x 16).
template <int MR>
static inline void rows_tile(const float* a, int64_t lda, const float* panel, int64_t k, float* c, int64_t ldc,
                             int64_t cols) {
    __m256 s0[MR], s1[MR];
    zero_tile<MR>(s0, s1);
    for (int64_t q = 0; q < k; q++, panel += kPanel) {
        if ((q & 15) == 0) {
            _Pragma("GCC unroll 8")
            for (int r = 0; r < MR; r++) __builtin_prefetch(a + (r + kAheadRows) * lda + q, 0, 3);
        }
        fma_tile<MR>(a + q, lda, _mm256_loadu_ps(panel), _mm256_loadu_ps(panel + 8), s0, s1);
    }
    store_tile<MR>(s0, s1, c, ldc, cols, false);
}

// MR rows of C across all panels. While a tile computes, the lines of the tile below it (next
// rows of C, or null) are fetched for writing, so that its stores do not wait for memory.
template <int MR>
static inline void rows_strip(const float* a, int64_t lda, int64_t k, const float* bp, int64_t n, float* c,
                              int64_t ldc, float* next) {
    for (int64_t j = 0; j < n; j += kPanel) {
        const int64_t cols = n - j < kPanel ? n - j : kPanel;
        if (next != NULL) {
            _Pragma("GCC unroll 8")
            for (int r = 0; r < 6; r++) __builtin_prefetch(next + r * ldc + j, 1, 3);
        }
        rows_tile<MR>(a, lda, bp + j * k, k, c + j, ldc, cols);
    }
}

// rows x n block of C = A (rows x k) x B packed by gemm_pack_b_f32.
static inline void rows_block(const float* a, int64_t lda, int64_t rows, int64_t k, const float* bp, int64_t n,
                              float* c, int64_t ldc) {
    int64_t i = 0;
    for (; i + 6 <= rows; i += 6) {
        rows_strip<6>(a + i * lda, lda, k, bp, n, c + i * ldc, ldc, i + 12 <= rows ? c + (i + 6) * ldc : NULL);
    }
    const float* at = a + i * lda;
    float* ct = c + i * ldc;
    switch (rows - i) {
        case 5: rows_strip<5>(at, lda, k, bp, n, ct, ldc, NULL); break;
        case 4: rows_strip<4>(at, lda, k, bp, n, ct, ldc, NULL); break;
        case 3: rows_strip<3>(at, lda, k, bp, n, ct, ldc, NULL); break;
        case 2: rows_strip<2>(at, lda, k, bp, n, ct, ldc, NULL); break;
        case 1: rows_strip<1>(at, lda, k, bp, n, ct, ldc, NULL); break;
        default: break;
    }
}

// C tile (MR x cols) += sum over k rows q of A[q, 0..MR) (outer) B[q, 0..cols); rows of A and B
// have strides lda and ldb. FULL: cols == 16, so B loads need no mask.
template <int MR, bool FULL>
static inline void reduce_tile(const float* a, int64_t lda, const float* b, int64_t ldb, int64_t k, float* c,
                               int64_t ldc, int64_t cols) {
    __m256 s0[MR], s1[MR];
    zero_tile<MR>(s0, s1);
    __m256i m0, m1;
    lane_masks(cols, &m0, &m1);
    for (int64_t q = 0; q < k; q++, a += lda, b += ldb) {
        __builtin_prefetch(a + kReduceRows * lda, 0, 3);
        __builtin_prefetch(b + kReduceRows * ldb, 0, 3);
        const __m256 b0 = FULL ? _mm256_loadu_ps(b) : _mm256_maskload_ps(b, m0);
        const __m256 b1 = FULL ? _mm256_loadu_ps(b + 8) : _mm256_maskload_ps(b + 8, m1);
        fma_tile<MR>(a, 1, b0, b1, s0, s1);
    }
    store_tile<MR>(s0, s1, c, ldc, cols, true);
}

template <int MR>
static inline void reduce_tile_any(const float* a, int64_t lda, const float* b, int64_t ldb, int64_t k, float* c,
                                   int64_t ldc, int64_t cols) {
    if (cols == kPanel) {
        reduce_tile<MR, true>(a, lda, b, ldb, k, c, ldc, cols);
    } else {
        reduce_tile<MR, false>(a, lda, b, ldb, k, c, ldc, cols);
    }
}

// C (m x n, row stride n) += A^T x B over k rows: A is k x m (stride lda), B is k x n (stride ldb).
static inline void reduce_rows(const float* a, int64_t lda, const float* b, int64_t ldb, int64_t k, int64_t m,
                               int64_t n, float* c) {
    for (int64_t q0 = 0; q0 < k; q0 += kReduceRows) {
        const int64_t kq = k - q0 < kReduceRows ? k - q0 : kReduceRows;
        const float* aq = a + q0 * lda;
        const float* bq = b + q0 * ldb;
        for (int64_t j = 0; j < n; j += kPanel) {
            const int64_t cols = n - j < kPanel ? n - j : kPanel;
            int64_t i = 0;
            for (; i + 6 <= m; i += 6) reduce_tile_any<6>(aq + i, lda, bq + j, ldb, kq, c + i * n + j, n, cols);
            float* ct = c + i * n + j;
            switch (m - i) {
                case 5: reduce_tile_any<5>(aq + i, lda, bq + j, ldb, kq, ct, n, cols); break;
                case 4: reduce_tile_any<4>(aq + i, lda, bq + j, ldb, kq, ct, n, cols); break;
                case 3: reduce_tile_any<3>(aq + i, lda, bq + j, ldb, kq, ct, n, cols); break;
                case 2: reduce_tile_any<2>(aq + i, lda, bq + j, ldb, kq, ct, n, cols); break;
                case 1: reduce_tile_any<1>(aq + i, lda, bq + j, ldb, kq, ct, n, cols); break;
                default: break;
            }
        }
    }
}

// A buffer of n floats starting on a cache line (freed with free), or null: tiles load 16 floats
// at a time, which on an unaligned buffer would straddle two lines.
static inline float* line_aligned_floats(int64_t n) {
    void* p = NULL;
    return posix_memalign(&p, 64, (size_t)(n > 0 ? n : 1) * sizeof(float)) == 0 ? (float*)p : NULL;
}

// Rows of the im2col block a convolution kernel builds at a time: about 24 KB, a multiple of the
// tile height, so the block and the packed filters stay in the cache while the tiles read them.
static inline int64_t conv_block_rows(int64_t rowLen, int64_t most) {
    int64_t rows = (6144 / (rowLen > 0 ? rowLen : 1)) / 6 * 6;
    rows = rows < 6 ? 6 : rows;
    return rows > most ? most : rows;
}

// Packs B (k x n) for the rows kernel: 16-column panels, panel p's row q at bp + (p * k + q) * 16,
// columns past n zero. trans: B[q][j] is b[j * ldb + q] (B given as its n x k transpose).
void gemm_pack_b_f32(int64_t b, int64_t ldb, int64_t trans, int64_t k, int64_t n, int64_t bp) {
    const float* pb = (const float*)(intptr_t)b;
    float* out = (float*)(intptr_t)bp;
    for (int64_t j0 = 0; j0 < n; j0 += kPanel) {
        for (int64_t q = 0; q < k; q++, out += kPanel) {
            for (int64_t j = 0; j < kPanel; j++) {
                const int64_t col = j0 + j;
                out[j] = col >= n ? 0.0f : trans ? pb[col * ldb + q] : pb[q * ldb + col];
            }
        }
    }
}

// Rows [r0, r1) of C = A x B, B packed by gemm_pack_b_f32 with depth k.
void gemm_rows_f32(int64_t a, int64_t lda, int64_t r0, int64_t r1, int64_t k, int64_t bp, int64_t n, int64_t c,
                   int64_t ldc) {
    rows_block((const float*)(intptr_t)a + r0 * lda, lda, r1 - r0, k, (const float*)(intptr_t)bp, n,
               (float*)(intptr_t)c + r0 * ldc, ldc);
}

// C (m x n) = A^T x B over rows [k0, k1) of A (stride lda) and B (stride ldb), written over c.
void gemm_reduce_f32(int64_t a, int64_t lda, int64_t b, int64_t ldb, int64_t k0, int64_t k1, int64_t m, int64_t n,
                     int64_t c) {
    float* pc = (float*)(intptr_t)c;
    memset(pc, 0, (size_t)(m * n) * sizeof(float));
    reduce_rows((const float*)(intptr_t)a + k0 * lda, lda, (const float*)(intptr_t)b + k0 * ldb, ldb, k1 - k0, m, n,
                pc);
}

// Output rows [r0, r1) (pixels of nb images) of an NHWC float32 convolution: y = im2col(x) x w,
// with w (kh * kw * c x o) packed by gemm_pack_b_f32 and y of row stride o. Returns 0, or -1 when
// the im2col block cannot be allocated.
int conv_rows_f32(int64_t x, int64_t bp, int64_t y, int64_t r0, int64_t r1, int64_t h, int64_t w, int64_t c,
                  int64_t kh, int64_t kw, int64_t o, int64_t oh, int64_t ow, int64_t strideH, int64_t strideW,
                  int64_t padTop, int64_t padLeft, int64_t dilationH, int64_t dilationW) {
    const int64_t rowLen = kh * kw * c;
    const int64_t block = conv_block_rows(rowLen, 192);
    float* buf = line_aligned_floats(block * rowLen);
    if (buf == NULL) return -1;
    const float* px = (const float*)(intptr_t)x;
    const float* pb = (const float*)(intptr_t)bp;
    float* py = (float*)(intptr_t)y;
    for (int64_t r = r0; r < r1; r += block) {
        const int64_t rows = r1 - r < block ? r1 - r : block;
        im2col_rows(px, buf, r, r + rows, h, w, c, kh, kw, oh, ow, strideH, strideW, padTop, padLeft, dilationH,
                    dilationW);
        rows_block(buf, rowLen, rows, rowLen, pb, o, py + r * o, o);
    }
    free(buf);
    return 0;
}

// Filter gradient of an NHWC float32 convolution over output rows [r0, r1): c (kh * kw * c x o) =
// im2col(x)^T x dy over those rows, written over c. Returns 0, or -1 when the block cannot be allocated.
int conv_filter_rows_f32(int64_t x, int64_t dy, int64_t out, int64_t r0, int64_t r1, int64_t h, int64_t w,
                         int64_t c, int64_t kh, int64_t kw, int64_t o, int64_t oh, int64_t ow, int64_t strideH,
                         int64_t strideW, int64_t padTop, int64_t padLeft, int64_t dilationH, int64_t dilationW) {
    const int64_t rowLen = kh * kw * c;
    const int64_t block = kReduceRows;
    float* buf = line_aligned_floats(block * rowLen);
    if (buf == NULL) return -1;
    const float* px = (const float*)(intptr_t)x;
    const float* pdy = (const float*)(intptr_t)dy;
    float* pc = (float*)(intptr_t)out;
    memset(pc, 0, (size_t)(rowLen * o) * sizeof(float));
    for (int64_t r = r0; r < r1; r += block) {
        const int64_t rows = r1 - r < block ? r1 - r : block;
        im2col_rows(px, buf, r, r + rows, h, w, c, kh, kw, oh, ow, strideH, strideW, padTop, padLeft, dilationH,
                    dilationW);
        reduce_rows(buf, rowLen, pdy + r * o, o, rows, rowLen, o, pc);
    }
    free(buf);
    return 0;
}

// Adds rows [p0, p0 + rows) of one image's column gradient (buf, one row of kh * kw * c per output
// pixel) into that image's dx, pixel by pixel in order.
static inline void scatter_columns(const float* buf, int64_t p0, int64_t rows, float* dimg, int64_t h, int64_t w,
                                   int64_t c, int64_t kh, int64_t kw, int64_t ow, int64_t strideH, int64_t strideW,
                                   int64_t padTop, int64_t padLeft, int64_t dilationH, int64_t dilationW) {
    const int64_t rowLen = kh * kw * c;
    for (int64_t r = 0; r < rows; r++, buf += rowLen) {
        const int64_t y = (p0 + r) / ow;
        const int64_t xo = (p0 + r) % ow;
        const int64_t iw0 = xo * strideW - padLeft;
        const bool rowInside = dilationW == 1 && iw0 >= 0 && iw0 + kw <= w;
        for (int64_t a = 0; a < kh; a++) {
            const int64_t ih = y * strideH - padTop + a * dilationH;
            if (ih < 0 || ih >= h) continue;
            float* dRow = dimg + ih * w * c;
            const float* seg = buf + a * kw * c;
            if (rowInside) {
                float* d = dRow + iw0 * c;
                for (int64_t q = 0; q < kw * c; q++) d[q] += seg[q];
                continue;
            }
            for (int64_t b = 0; b < kw; b++) {
                const int64_t iw = iw0 + b * dilationW;
                if (iw < 0 || iw >= w) continue;
                float* d = dRow + iw * c;
                for (int64_t q = 0; q < c; q++) d[q] += seg[b * c + q];
            }
        }
    }
}

// Data gradient of an NHWC float32 convolution for images [n0, n1): dx = col2im(dy x w^T), with
// w^T (o x kh * kw * c) packed by gemm_pack_b_f32. Each image's column gradient is made a block of
// pixels at a time in a cache-sized buffer and added into its dx at once (the whole image by one
// thread, so the order of additions is fixed). Returns 0, or -1 when the block cannot be allocated.
int conv_data_images_f32(int64_t dy, int64_t bp, int64_t dx, int64_t n0, int64_t n1, int64_t h, int64_t w,
                         int64_t c, int64_t kh, int64_t kw, int64_t o, int64_t oh, int64_t ow, int64_t strideH,
                         int64_t strideW, int64_t padTop, int64_t padLeft, int64_t dilationH, int64_t dilationW) {
    const int64_t rowLen = kh * kw * c;
    const int64_t block = conv_block_rows(rowLen, 192);
    float* buf = line_aligned_floats(block * rowLen);
    if (buf == NULL) return -1;
    const float* pdy = (const float*)(intptr_t)dy;
    const float* pb = (const float*)(intptr_t)bp;
    const int64_t pixels = oh * ow;
    for (int64_t img = n0; img < n1; img++) {
        float* dimg = (float*)(intptr_t)dx + img * h * w * c;
        memset(dimg, 0, (size_t)(h * w * c) * sizeof(float));
        for (int64_t p = 0; p < pixels; p += block) {
            const int64_t rows = pixels - p < block ? pixels - p : block;
            rows_block(pdy + (img * pixels + p) * o, o, rows, o, pb, rowLen, buf, rowLen);
            scatter_columns(buf, p, rows, dimg, h, w, c, kh, kw, ow, strideH, strideW, padTop, padLeft, dilationH,
                            dilationW);
        }
    }
    free(buf);
    return 0;
}

#pragma GCC pop_options

#else

// Without x86-64 AVX2 and FMA the Java side asks gemm_supported() first and keeps OpenBLAS; the
// entry points below exist only so that the JNI library links, and are never called.
inline int gemm_supported() { return 0; }
inline void gemm_pack_b_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) {}
inline void gemm_rows_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) {}
inline void gemm_reduce_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) {}
inline int conv_rows_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) { return -1; }
inline int conv_filter_rows_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                int64_t) { return -1; }
inline int conv_data_images_f32(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                                int64_t) { return -1; }

#endif

}  // namespace tessera_cpu

#endif
