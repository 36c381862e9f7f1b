// random_<op>_<dtype>(shape, y, yStrides, seed, counter, a, b): element i (row-major in y's shape) is
// dev.tessera.backend.RandomBits.sample(op, seed, counter, i, a, b), computed with the same 64-bit
// arithmetic. The explicit _rn intrinsics keep the compiler from fusing a multiply and an add (an FMA
// would round differently from Java). NOTE: log and cos of CUDA's libdevice may differ from
// java.lang.Math in the last bit of a double, so NORMAL can differ by one double ulp (invisible after
// rounding to float32 nearly always); UNIFORM and BERNOULLI are bit-identical.

__device__ __forceinline__ ts_u64 ts_bits(ts_u64 seed, ts_u64 index) {
    ts_u64 z = seed * 0x9E3779B97F4A7C15ULL + index * 0xBF58476D1CE4E5B9ULL + 0x94D049BB133111EBULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Uniform in [0, 1) from the top 53 bits; 1.1102230246251565404236316680908203125e-16 is 2^-53 exactly.
__device__ __forceinline__ double ts_uniform(ts_u64 seed, ts_u64 index) {
    return __dmul_rn((double)(ts_bits(seed, index) >> 11), 1.1102230246251565404236316680908203125e-16);
}

#define RANDOM_KERNELS(SUF, T) \
    extern "C" __global__ void random_uniform_##SUF(TsShape s, T* y, TsStrides ys, ts_u64 seed, ts_u64 counter, \
                                                   double a, double b) { \
        TS_FOR(i, s.numel) { \
            double u = ts_uniform(seed, counter + (ts_u64)i); \
            y[ts_at(s, ys, i)] = (T)__dadd_rn(a, __dmul_rn(__dsub_rn(b, a), u)); \
        } \
    } \
    extern "C" __global__ void random_bernoulli_##SUF(TsShape s, T* y, TsStrides ys, ts_u64 seed, ts_u64 counter, \
                                                     double a, double b) { \
        TS_FOR(i, s.numel) { \
            y[ts_at(s, ys, i)] = ts_uniform(seed, counter + (ts_u64)i) < a ? (T)1 : (T)0; \
        } \
    } \
    extern "C" __global__ void random_normal_##SUF(TsShape s, T* y, TsStrides ys, ts_u64 seed, ts_u64 counter, \
                                                  double a, double b) { \
        TS_FOR(i, s.numel) { \
            double u1 = __dsub_rn(1.0, ts_uniform(seed, counter + 2 * (ts_u64)i)); \
            double u2 = ts_uniform(seed, counter + 2 * (ts_u64)i + 1); \
            double r = sqrt(__dmul_rn(-2.0, log(u1))); \
            double c = cos(__dmul_rn(6.283185307179586, u2)); \
            y[ts_at(s, ys, i)] = (T)__dadd_rn(a, __dmul_rn(__dmul_rn(b, r), c)); \
        } \
    }

RANDOM_KERNELS(f32, float)
RANDOM_KERNELS(f64, double)
