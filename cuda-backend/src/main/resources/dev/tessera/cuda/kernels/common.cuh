// Shared by every kernel family: KernelSources prepends this text to each .cu file before NVRTC
// (and the nvcc check in the tests) compiles it, so the sources need no #include.
// Operands are described by value: a logical shape (TsShape) and, per operand, an element offset
// and one step per dimension (TsStrides); a step of 0 broadcasts. Up to 8 dimensions.

#define TS_MAX_RANK 8
typedef long long ts_i64;
typedef unsigned long long ts_u64;

struct TsShape {
    ts_i64 rank;
    ts_i64 numel;
    ts_i64 dim[TS_MAX_RANK];
};

struct TsStrides {
    ts_i64 offset;
    ts_i64 step[TS_MAX_RANK];
};

// Grid-stride loop over [0, n).
#define TS_FOR(i, n) \
    for (ts_i64 i = (ts_i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (ts_i64)blockDim.x * gridDim.x)

// Storage index of row-major element i of shape s read through strides t.
__device__ __forceinline__ ts_i64 ts_at(const TsShape& s, const TsStrides& t, ts_i64 i) {
    ts_i64 off = t.offset;
    for (int d = (int)s.rank - 1; d > 0; --d) {
        ts_i64 n = s.dim[d];
        ts_i64 q = i / n;
        off += (i - q * n) * t.step[d];
        i = q;
    }
    if (s.rank > 0) {
        off += i * t.step[0];
    }
    return off;
}

// Overloads so that one templated expression serves float and double.
#define TS_MATH1(NAME, FF, FD) \
    __device__ __forceinline__ float ts_##NAME(float x) { return FF(x); } \
    __device__ __forceinline__ double ts_##NAME(double x) { return FD(x); }
TS_MATH1(exp, expf, exp)
TS_MATH1(expm1, expm1f, expm1)
TS_MATH1(log, logf, log)
TS_MATH1(sqrt, sqrtf, sqrt)
TS_MATH1(tanh, tanhf, tanh)
TS_MATH1(sin, sinf, sin)
TS_MATH1(cos, cosf, cos)
TS_MATH1(floor, floorf, floor)
TS_MATH1(rint, rintf, rint)
TS_MATH1(fabs, fabsf, fabs)
TS_MATH1(erf, erff, erf)
__device__ __forceinline__ float ts_pow(float a, float b) { return powf(a, b); }
__device__ __forceinline__ double ts_pow(double a, double b) { return pow(a, b); }

// Extremes of each type: the identities of max and min.
template <typename C> __device__ __forceinline__ C ts_lowest();
template <typename C> __device__ __forceinline__ C ts_highest();
template <> __device__ __forceinline__ float ts_lowest<float>() { return __int_as_float(0xff800000); }
template <> __device__ __forceinline__ float ts_highest<float>() { return __int_as_float(0x7f800000); }
template <> __device__ __forceinline__ double ts_lowest<double>() { return __longlong_as_double(0xfff0000000000000LL); }
template <> __device__ __forceinline__ double ts_highest<double>() { return __longlong_as_double(0x7ff0000000000000LL); }
template <> __device__ __forceinline__ int ts_lowest<int>() { return -2147483647 - 1; }
template <> __device__ __forceinline__ int ts_highest<int>() { return 2147483647; }
template <> __device__ __forceinline__ long long ts_lowest<long long>() { return -9223372036854775807LL - 1; }
template <> __device__ __forceinline__ long long ts_highest<long long>() { return 9223372036854775807LL; }

// Records the first bad index a kernel met: err[0] becomes 1 and err[1] holds the value.
__device__ __forceinline__ void ts_report(ts_u64* err, ts_i64 value) {
    if (atomicCAS(err, 0ULL, 1ULL) == 0ULL) {
        err[1] = (ts_u64)value;
    }
}
