// unary_<op>_<dtype>(shape, x, xStrides, y, yStrides, alpha): y = op(x, alpha) element-wise.
// Floats compute in their own type; integers compute in double and convert back (toward zero).

#define UNARY_KERNEL(NAME, SUF, T, C) \
    extern "C" __global__ void unary_##NAME##_##SUF(TsShape s, const T* x, TsStrides xs, T* y, TsStrides ys, \
                                                   double alpha) { \
        C a = (C)alpha; \
        TS_FOR(i, s.numel) { \
            C v = (C)x[ts_at(s, xs, i)]; \
            y[ts_at(s, ys, i)] = (T)unary_fn_##NAME<C>(v, a); \
        } \
    }

#define UNARY(NAME, EXPR) \
    template <typename C> __device__ __forceinline__ C unary_fn_##NAME(C x, C a) { return (EXPR); } \
    UNARY_KERNEL(NAME, f32, float, float) \
    UNARY_KERNEL(NAME, f64, double, double) \
    UNARY_KERNEL(NAME, i32, int, double) \
    UNARY_KERNEL(NAME, i64, long long, double)

UNARY(neg, -x)
UNARY(abs, ts_fabs(x))
UNARY(sign, x > (C)0 ? (C)1 : (x < (C)0 ? (C)-1 : x))
UNARY(exp, ts_exp(x))
UNARY(log, ts_log(x))
UNARY(sqrt, ts_sqrt(x))
UNARY(square, x * x)
UNARY(reciprocal, (C)1 / x)
UNARY(pow_scalar, ts_pow(x, a))
UNARY(scale, a * x)
UNARY(shift, x + a)
UNARY(relu, x > (C)0 ? x : (C)0)
UNARY(leaky_relu, x > (C)0 ? x : a * x)
UNARY(elu, x > (C)0 ? x : a * ts_expm1(x))
UNARY(sigmoid, (C)1 / ((C)1 + ts_exp(-x)))
UNARY(tanh, ts_tanh(x))
// 0.7071067811865476 = 1/sqrt(2), 0.3989422804014327 = 1/sqrt(2 pi)
UNARY(gelu, (C)0.5 * x * ((C)1 + ts_erf(x * (C)0.7071067811865476)))
UNARY(gelu_grad, (C)0.5 * ((C)1 + ts_erf(x * (C)0.7071067811865476))
                 + x * ts_exp((C)-0.5 * x * x) * (C)0.3989422804014327)
UNARY(sin, ts_sin(x))
UNARY(cos, ts_cos(x))
UNARY(floor, ts_floor(x))
UNARY(round, ts_rint(x))
