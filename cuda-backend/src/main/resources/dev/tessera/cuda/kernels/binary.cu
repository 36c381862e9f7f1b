// binary_<op>_<dtype>(shape, a, aStrides, b, bStrides, y, yStrides): y = op(a, b); comparisons give 1 or 0.
// binary_where_<dtype>_<conddtype>(shape, cond, ..., a, ..., b, ..., y, ...): y = cond != 0 ? a : b.

#define BINARY_KERNEL(NAME, SUF, T, C) \
    extern "C" __global__ void binary_##NAME##_##SUF(TsShape s, const T* a, TsStrides as, const T* b, TsStrides bs, \
                                                    T* y, TsStrides ys) { \
        TS_FOR(i, s.numel) { \
            C u = (C)a[ts_at(s, as, i)]; \
            C v = (C)b[ts_at(s, bs, i)]; \
            y[ts_at(s, ys, i)] = (T)binary_fn_##NAME<C>(u, v); \
        } \
    }

#define BINARY_FN(NAME, EXPR) \
    template <typename C> __device__ __forceinline__ C binary_fn_##NAME(C a, C b) { return (EXPR); }

// Integers compute natively.
#define BINARY(NAME, EXPR) \
    BINARY_FN(NAME, EXPR) \
    BINARY_KERNEL(NAME, f32, float, float) \
    BINARY_KERNEL(NAME, f64, double, double) \
    BINARY_KERNEL(NAME, i32, int, int) \
    BINARY_KERNEL(NAME, i64, long long, long long)

// Integers compute in double and convert back toward zero (as the float64 reference does).
#define BINARY_VIA_DOUBLE(NAME, EXPR) \
    BINARY_FN(NAME, EXPR) \
    BINARY_KERNEL(NAME, f32, float, float) \
    BINARY_KERNEL(NAME, f64, double, double) \
    BINARY_KERNEL(NAME, i32, int, double) \
    BINARY_KERNEL(NAME, i64, long long, double)

BINARY(add, a + b)
BINARY(sub, a - b)
BINARY(mul, a * b)
BINARY_VIA_DOUBLE(div, a / b)
BINARY_VIA_DOUBLE(pow, ts_pow(a, b))
// NaN wins, as in java.lang.Math.max/min.
BINARY(maximum, (a > b || a != a) ? a : b)
BINARY(minimum, (a < b || a != a) ? a : b)
BINARY(eq, a == b ? (C)1 : (C)0)
BINARY(ne, a != b ? (C)1 : (C)0)
BINARY(lt, a < b ? (C)1 : (C)0)
BINARY(le, a <= b ? (C)1 : (C)0)
BINARY(gt, a > b ? (C)1 : (C)0)
BINARY(ge, a >= b ? (C)1 : (C)0)

#define WHERE_KERNEL(SUF, T, CSUF, CT) \
    extern "C" __global__ void binary_where_##SUF##_##CSUF(TsShape s, const CT* c, TsStrides cs, const T* a, \
                                                          TsStrides as, const T* b, TsStrides bs, T* y, \
                                                          TsStrides ys) { \
        TS_FOR(i, s.numel) { \
            y[ts_at(s, ys, i)] = c[ts_at(s, cs, i)] != (CT)0 ? a[ts_at(s, as, i)] : b[ts_at(s, bs, i)]; \
        } \
    }

#define WHERE_ALL_CONDS(SUF, T) \
    WHERE_KERNEL(SUF, T, f32, float) \
    WHERE_KERNEL(SUF, T, f64, double) \
    WHERE_KERNEL(SUF, T, i32, int) \
    WHERE_KERNEL(SUF, T, i64, long long)

WHERE_ALL_CONDS(f32, float)
WHERE_ALL_CONDS(f64, double)
WHERE_ALL_CONDS(i32, int)
WHERE_ALL_CONDS(i64, long long)
