// indexing_gather_<dtype>_<indextype>(shape, idx, idxStrides, x, xStrides, xAxisStep, axisLen, y, yStrides, err):
//   y[i] = x[i with its coordinate on the axis replaced by idx[i]]; xStrides has 0 on the axis, whose
//   real step is xAxisStep. An index outside [0, axisLen) is reported through err (see ts_report).
// indexing_scatter_add_<dtype>_<indextype>(shape, idx, idxStrides, src, srcStrides, outAxisStep, axisLen,
//   out, outStrides, err): out[...] += src[i] with atomicAdd (float64 atomicAdd needs sm_60+).

__device__ __forceinline__ void ts_atomic_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void ts_atomic_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void ts_atomic_add(int* p, int v) { atomicAdd(p, v); }
// Two's complement addition is the same for signed and unsigned 64-bit words.
__device__ __forceinline__ void ts_atomic_add(long long* p, long long v) {
    atomicAdd((unsigned long long*)p, (unsigned long long)v);
}

// Reads index i; false (after reporting it) when it lies outside [0, axisLen).
template <typename I>
__device__ __forceinline__ bool ts_index(const I* idx, ts_i64 at, ts_i64 axisLen, ts_u64* err, ts_i64& k) {
    k = (ts_i64)idx[at];
    if (k < 0 || k >= axisLen) {
        ts_report(err, k);
        return false;
    }
    return true;
}

#define INDEXING_KERNELS(SUF, T, ISUF, I) \
    extern "C" __global__ void indexing_gather_##SUF##_##ISUF(TsShape s, const I* idx, TsStrides is, const T* x, \
                                                             TsStrides xs, ts_i64 xAxisStep, ts_i64 axisLen, T* y, \
                                                             TsStrides ys, ts_u64* err) { \
        TS_FOR(i, s.numel) { \
            ts_i64 k; \
            if (!ts_index(idx, ts_at(s, is, i), axisLen, err, k)) continue; \
            y[ts_at(s, ys, i)] = x[ts_at(s, xs, i) + k * xAxisStep]; \
        } \
    } \
    extern "C" __global__ void indexing_scatter_add_##SUF##_##ISUF(TsShape s, const I* idx, TsStrides is, \
                                                                  const T* src, TsStrides ss, ts_i64 outAxisStep, \
                                                                  ts_i64 axisLen, T* out, TsStrides os, \
                                                                  ts_u64* err) { \
        TS_FOR(i, s.numel) { \
            ts_i64 k; \
            if (!ts_index(idx, ts_at(s, is, i), axisLen, err, k)) continue; \
            ts_atomic_add(out + ts_at(s, os, i) + k * outAxisStep, src[ts_at(s, ss, i)]); \
        } \
    }

#define INDEXING_BOTH_INDEX_TYPES(SUF, T) \
    INDEXING_KERNELS(SUF, T, i32, int) \
    INDEXING_KERNELS(SUF, T, i64, long long)

INDEXING_BOTH_INDEX_TYPES(f32, float)
INDEXING_BOTH_INDEX_TYPES(f64, double)
INDEXING_BOTH_INDEX_TYPES(i32, int)
INDEXING_BOTH_INDEX_TYPES(i64, long long)
