// reduce_<op>_<dtype>(outer, xOuter, yOuter, inner, xInner, x, y): one block per output element (grid
// stride); outer describes the kept axes (x's and y's strides over them), inner the reduced axes. The
// block size is a power of two up to TS_REDUCE_THREADS. Arg reductions write INT64 positions along
// the single reduced axis, the first one on ties (NaN counts as the extreme, as in the reference).

#define TS_REDUCE_THREADS 256

template <typename C> struct RedSum {
    __device__ static C init() { return (C)0; }
    __device__ static C op(C a, C b) { return a + b; }
};
template <typename C> struct RedProd {
    __device__ static C init() { return (C)1; }
    __device__ static C op(C a, C b) { return a * b; }
};
template <typename C> struct RedMax {
    __device__ static C init() { return ts_lowest<C>(); }
    __device__ static C op(C a, C b) { return (b > a || b != b) ? b : a; }
};
template <typename C> struct RedMin {
    __device__ static C init() { return ts_highest<C>(); }
    __device__ static C op(C a, C b) { return (b < a || b != b) ? b : a; }
};

template <typename T, typename C, typename R>
__device__ void ts_reduce(const TsShape& outer, const TsStrides& xo, const TsStrides& yo, const TsShape& inner,
                          const TsStrides& xi, const T* x, T* y) {
    __shared__ C buf[TS_REDUCE_THREADS];
    for (ts_i64 o = blockIdx.x; o < outer.numel; o += gridDim.x) {
        ts_i64 base = ts_at(outer, xo, o);
        C acc = R::init();
        for (ts_i64 r = threadIdx.x; r < inner.numel; r += blockDim.x) {
            acc = R::op(acc, (C)x[base + ts_at(inner, xi, r)]);
        }
        buf[threadIdx.x] = acc;
        __syncthreads();
        for (unsigned w = blockDim.x / 2; w > 0; w >>= 1) {
            if (threadIdx.x < w) {
                buf[threadIdx.x] = R::op(buf[threadIdx.x], buf[threadIdx.x + w]);
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            y[ts_at(outer, yo, o)] = (T)buf[0];
        }
        __syncthreads();
    }
}

// Whether candidate (v, i) beats the current (bv, bi); bi < 0 means "nothing yet".
template <bool MAX> __device__ __forceinline__ bool ts_arg_better(double v, ts_i64 i, double bv, ts_i64 bi) {
    if (i < 0) return false;
    if (bi < 0) return true;
    bool vnan = v != v, bnan = bv != bv;
    if (bnan) return vnan && i < bi;
    if (vnan) return true;
    if (MAX ? v > bv : v < bv) return true;
    return v == bv && i < bi;
}

template <typename T, bool MAX>
__device__ void ts_arg_reduce(const TsShape& outer, const TsStrides& xo, const TsStrides& yo, const TsShape& inner,
                              const TsStrides& xi, const T* x, long long* y) {
    __shared__ double bv[TS_REDUCE_THREADS];
    __shared__ ts_i64 bi[TS_REDUCE_THREADS];
    for (ts_i64 o = blockIdx.x; o < outer.numel; o += gridDim.x) {
        ts_i64 base = ts_at(outer, xo, o);
        double v = 0;
        ts_i64 vi = -1;
        for (ts_i64 r = threadIdx.x; r < inner.numel; r += blockDim.x) {
            double c = (double)x[base + ts_at(inner, xi, r)];
            if (ts_arg_better<MAX>(c, r, v, vi)) {
                v = c;
                vi = r;
            }
        }
        bv[threadIdx.x] = v;
        bi[threadIdx.x] = vi;
        __syncthreads();
        for (unsigned w = blockDim.x / 2; w > 0; w >>= 1) {
            if (threadIdx.x < w && ts_arg_better<MAX>(bv[threadIdx.x + w], bi[threadIdx.x + w], bv[threadIdx.x],
                                                      bi[threadIdx.x])) {
                bv[threadIdx.x] = bv[threadIdx.x + w];
                bi[threadIdx.x] = bi[threadIdx.x + w];
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) {
            y[ts_at(outer, yo, o)] = bi[0];
        }
        __syncthreads();
    }
}

#define REDUCE_KERNEL(NAME, RED, SUF, T) \
    extern "C" __global__ void reduce_##NAME##_##SUF(TsShape outer, TsStrides xo, TsStrides yo, TsShape inner, \
                                                    TsStrides xi, const T* x, T* y) { \
        ts_reduce<T, T, RED<T> >(outer, xo, yo, inner, xi, x, y); \
    }

#define ARG_KERNEL(NAME, MAX, SUF, T) \
    extern "C" __global__ void reduce_##NAME##_##SUF(TsShape outer, TsStrides xo, TsStrides yo, TsShape inner, \
                                                    TsStrides xi, const T* x, long long* y) { \
        ts_arg_reduce<T, MAX>(outer, xo, yo, inner, xi, x, y); \
    }

#define REDUCE_ALL(SUF, T) \
    REDUCE_KERNEL(sum, RedSum, SUF, T) \
    REDUCE_KERNEL(prod, RedProd, SUF, T) \
    REDUCE_KERNEL(max, RedMax, SUF, T) \
    REDUCE_KERNEL(min, RedMin, SUF, T) \
    ARG_KERNEL(argmax, true, SUF, T) \
    ARG_KERNEL(argmin, false, SUF, T)

REDUCE_ALL(f32, float)
REDUCE_ALL(f64, double)
REDUCE_ALL(i32, int)
REDUCE_ALL(i64, long long)
