// 2-D max and average pooling over contiguous NHWC tensors (pointers already at the first element).
// Padding may differ on each side (TensorFlow 'same'); padded positions never win a max and are not
// counted by the average. Max pooling's gradient goes to the first position (row-major in the
// window) holding the maximum. Backward kernels add into dx, which the caller zeroes first.

struct TsPool {
    ts_i64 n, h, w, c;      // input
    ts_i64 oh, ow;          // output
    ts_i64 kh, kw, sh, sw;  // window and strides
    ts_i64 pt, pl;          // padding before the first row and column
};

// Decomposes output element o (NHWC order) into its batch, window origin and channel.
__device__ __forceinline__ void ts_pool_coords(const TsPool& p, ts_i64 o, ts_i64& n, ts_i64& h0, ts_i64& w0,
                                               ts_i64& c) {
    c = o % p.c;
    ts_i64 r = o / p.c;
    ts_i64 ow = r % p.ow;
    r /= p.ow;
    ts_i64 oh = r % p.oh;
    n = r / p.oh;
    h0 = oh * p.sh - p.pt;
    w0 = ow * p.sw - p.pl;
}

// Storage index of the first maximum of a window, or -1 if the window lies entirely in the padding.
template <typename T>
__device__ ts_i64 ts_pool_argmax(const TsPool& p, const T* x, ts_i64 n, ts_i64 h0, ts_i64 w0, ts_i64 c) {
    ts_i64 best = -1;
    T bv = (T)0;
    for (ts_i64 i = 0; i < p.kh; ++i) {
        ts_i64 h = h0 + i;
        if (h < 0 || h >= p.h) continue;
        for (ts_i64 j = 0; j < p.kw; ++j) {
            ts_i64 w = w0 + j;
            if (w < 0 || w >= p.w) continue;
            ts_i64 at = ((n * p.h + h) * p.w + w) * p.c + c;
            T v = x[at];
            if (best < 0 || v > bv || (v != v && bv == bv)) {
                best = at;
                bv = v;
            }
        }
    }
    return best;
}

#define POOL_KERNELS(SUF, T) \
    extern "C" __global__ void pool_max_##SUF(TsPool p, const T* x, T* y) { \
        TS_FOR(o, p.n * p.oh * p.ow * p.c) { \
            ts_i64 n, h0, w0, c; \
            ts_pool_coords(p, o, n, h0, w0, c); \
            ts_i64 at = ts_pool_argmax<T>(p, x, n, h0, w0, c); \
            y[o] = at < 0 ? ts_lowest<T>() : x[at]; \
        } \
    } \
    extern "C" __global__ void pool_avg_##SUF(TsPool p, const T* x, T* y) { \
        TS_FOR(o, p.n * p.oh * p.ow * p.c) { \
            ts_i64 n, h0, w0, c; \
            ts_pool_coords(p, o, n, h0, w0, c); \
            T sum = (T)0; \
            ts_i64 count = 0; \
            for (ts_i64 h = h0 < 0 ? 0 : h0; h < h0 + p.kh && h < p.h; ++h) { \
                for (ts_i64 w = w0 < 0 ? 0 : w0; w < w0 + p.kw && w < p.w; ++w) { \
                    sum += x[((n * p.h + h) * p.w + w) * p.c + c]; \
                    ++count; \
                } \
            } \
            y[o] = sum / (T)count; \
        } \
    } \
    extern "C" __global__ void pool_max_backward_##SUF(TsPool p, const T* x, const T* dy, T* dx) { \
        TS_FOR(o, p.n * p.oh * p.ow * p.c) { \
            ts_i64 n, h0, w0, c; \
            ts_pool_coords(p, o, n, h0, w0, c); \
            ts_i64 at = ts_pool_argmax<T>(p, x, n, h0, w0, c); \
            if (at >= 0) atomicAdd(dx + at, dy[o]); \
        } \
    } \
    extern "C" __global__ void pool_avg_backward_##SUF(TsPool p, const T* dy, T* dx) { \
        TS_FOR(o, p.n * p.oh * p.ow * p.c) { \
            ts_i64 n, h0, w0, c; \
            ts_pool_coords(p, o, n, h0, w0, c); \
            ts_i64 hs = h0 < 0 ? 0 : h0, he = h0 + p.kh < p.h ? h0 + p.kh : p.h; \
            ts_i64 ws = w0 < 0 ? 0 : w0, we = w0 + p.kw < p.w ? w0 + p.kw : p.w; \
            ts_i64 count = (he - hs) * (we - ws); \
            if (count <= 0) continue; \
            T g = dy[o] / (T)count; \
            for (ts_i64 h = hs; h < he; ++h) { \
                for (ts_i64 w = ws; w < we; ++w) { \
                    atomicAdd(dx + ((n * p.h + h) * p.w + w) * p.c + c, g); \
                } \
            } \
        } \
    }

POOL_KERNELS(f32, float)
POOL_KERNELS(f64, double)
